// Runs a TypeScript entry point of this workspace: esbuild bundles it (resolving the @purchase/*
// aliases of tsconfig.base.json, npm packages stay external) into dist/run/, then Node runs it
// with the remaining arguments. A bundle takes ~0.1 s, so no build step is needed before a script.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import path from 'node:path';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const root = path.dirname(path.dirname(new URL(import.meta.url).pathname));
const name = entry.replace(/\.ts$/, '').replace(/[\\/]/g, '_');
const outfile = path.join(root, 'dist', 'run', `${name}.cjs`);
await build({
  entryPoints: [path.resolve(root, entry)],
  outfile,
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  sourcemap: 'inline',
  tsconfig: path.join(root, 'tsconfig.base.json'),
  logLevel: 'warning',
});
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
