// npm run build:wasm [-- --check]
// Assembles every WebAssembly text module (*.wat) under libs/ with wabt and writes it beside its
// source as <name>-wasm.ts: the bytes in base64, so that a library loads its kernels without a file
// read and works bundled, compiled or from npm alike. --check writes nothing and exits 1 when a
// committed module is not the assembly of its source (the models test suite checks the same).
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { assembleWat, wasmModuleSource } from './wasm-module.mjs';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const check = process.argv.includes('--check');

async function* watFiles(dir) {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') yield* watFiles(full);
    else if (entry.isFile() && entry.name.endsWith('.wat')) yield full;
  }
}

let stale = 0;
for await (const wat of watFiles(path.join(ROOT, 'libs'))) {
  const out = wat.replace(/\.wat$/, '-wasm.ts');
  const source = wasmModuleSource(path.basename(wat), await assembleWat(wat, await readFile(wat, 'utf8')));
  const current = await readFile(out, 'utf8').catch(() => '');
  const name = path.relative(ROOT, out);
  if (current === source) {
    console.log(`${name}: up to date`);
  } else if (check) {
    console.error(`${name}: not the assembly of ${path.basename(wat)}; run npm run build:wasm`);
    stale++;
  } else {
    await writeFile(out, source);
    console.log(`${name}: written`);
  }
}
process.exitCode = stale > 0 ? 1 : 0;
