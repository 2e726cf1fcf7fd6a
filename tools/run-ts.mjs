// Runs a TypeScript entry point of this workspace: esbuild bundles it (see esbuild-options.mjs)
// into dist/run/, then Node runs it with the remaining arguments. A bundle takes ~0.1 s, so no
// build step is needed before a script.
import { build } from 'esbuild';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { esbuildOptions, ROOT } from './esbuild-options.mjs';

const [entry, ...args] = process.argv.slice(2);
if (!entry) {
  console.error('usage: node tools/run-ts.mjs <entry.ts> [args...]');
  process.exit(2);
}
const name = entry.replace(/\.ts$/, '').replace(/[\\/]/g, '_');
const outfile = path.join(ROOT, 'dist', 'run', `${name}.cjs`);
await build({ ...esbuildOptions, entryPoints: [path.resolve(ROOT, entry)], outfile, sourcemap: 'inline' });
process.argv = [process.argv[0], outfile, ...args];
await import(pathToFileURL(outfile).href);
