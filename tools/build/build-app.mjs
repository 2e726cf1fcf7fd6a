// npm run build, for an app: each entry point as one plain-JS file under dist/<app root>/, the
// workspace libraries inlined, npm packages required from node_modules, so that a production
// install (npm ci --omit=dev) runs it with `node dist/apps/<app>/<name>.js`.
//   node tools/build/build-app.mjs <project root> <entry.ts>=<name> [...]
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { esbuildOptions, ROOT } from '../esbuild-options.mjs';

const [projectRoot, ...entries] = process.argv.slice(2);
if (!projectRoot || entries.length === 0 || entries.some((e) => !e.includes('='))) {
  console.error('usage: node tools/build/build-app.mjs <project root> <entry.ts>=<name> [...]');
  process.exit(2);
}
const outdir = path.join(ROOT, 'dist', projectRoot);
rmSync(outdir, { recursive: true, force: true });
for (const entry of entries) {
  const [source, name] = entry.split('=');
  await build({
    ...esbuildOptions,
    entryPoints: [path.join(ROOT, projectRoot, source)],
    outfile: path.join(outdir, `${name}.js`),
    sourcemap: 'linked',
    // Marks the build, so that the api starts the built training app rather than the sources.
    define: { 'process.env.PURCHASE_BUILD': JSON.stringify('dist') },
  });
}
console.log(`built ${entries.map((e) => path.join('dist', projectRoot, `${e.split('=')[1]}.js`)).join(', ')}`);
