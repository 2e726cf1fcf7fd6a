// npm run build, for a library: compiles libs/<name>/src to dist/libs/<name>/ (CommonJS and .d.ts)
// and writes its package.json, so that the library installs and imports outside this workspace.
// The other @purchase/* libraries resolve to their own builds (dist/libs/*, built first: Nx's
// ^build), never to their sources; the dependencies are what the compiled code requires, at the
// versions of the root package.json, which stays the one list of versions.
//   node tools/build/build-lib.mjs libs/<name>
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { builtinModules, createRequire } from 'node:module';
import path from 'node:path';
import { ROOT } from '../esbuild-options.mjs';

const projectRoot = process.argv[2];
if (!projectRoot || !projectRoot.startsWith('libs/')) {
  console.error('usage: node tools/build/build-lib.mjs libs/<name>');
  process.exit(2);
}
const name = path.basename(projectRoot);
const outDir = path.join(ROOT, 'dist', projectRoot);
const rootPackage = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
const base = JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.base.json'), 'utf8'));

// Each alias of tsconfig.base.json (./libs/x/src/index.ts), pointed at that library's build.
const paths = Object.fromEntries(
  Object.entries(base.compilerOptions.paths).map(([alias, [target]]) => [alias, [path.join(ROOT, 'dist', target.replace(/\/src\/index\.ts$/, '/index.d.ts'))]]),
);
const tsconfig = {
  extends: path.join(ROOT, 'tsconfig.base.json'),
  compilerOptions: { rootDir: path.join(ROOT, projectRoot, 'src'), outDir, declaration: true, sourceMap: true, types: ['node'], paths },
  include: [path.join(ROOT, projectRoot, 'src/**/*.ts')],
  exclude: [path.join(ROOT, projectRoot, 'src/**/*.spec.ts'), path.join(ROOT, projectRoot, 'src/test-fixtures/**')],
};
rmSync(outDir, { recursive: true, force: true });
const configFile = path.join(ROOT, 'dist', '.build', `${name}.tsconfig.json`);
mkdirSync(path.dirname(configFile), { recursive: true });
writeFileSync(configFile, JSON.stringify(tsconfig, null, 2));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
const compiled = spawnSync(process.execPath, [tsc, '-p', configFile], { stdio: 'inherit' });
if (compiled.status !== 0) process.exit(1);

const dependencies = {};
const problems = [];
for (const specifier of [...requiredSpecifiers(outDir)].sort()) {
  const pkg = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0];
  if (specifier.startsWith('node:') || builtinModules.includes(pkg)) continue;
  if (pkg.startsWith('@purchase/')) dependencies[pkg] = rootPackage.version;
  else if (rootPackage.dependencies?.[pkg]) dependencies[pkg] = rootPackage.dependencies[pkg];
  else problems.push(`${pkg} (required by the compiled code) is not a dependency of the root package.json${rootPackage.devDependencies?.[pkg] ? ', only a devDependency' : ''}`);
}
if (problems.length > 0) {
  console.error(`build of @purchase/${name} refused:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  process.exit(1);
}
const manifest = {
  name: `@purchase/${name}`,
  version: rootPackage.version,
  description: `${rootPackage.description} (the ${name} library)`,
  license: rootPackage.license,
  engines: rootPackage.engines,
  main: './index.js',
  types: './index.d.ts',
  exports: { '.': { types: './index.d.ts', default: './index.js' }, './package.json': './package.json' },
  dependencies: Object.fromEntries(Object.entries(dependencies).sort(([a], [b]) => a.localeCompare(b))),
};
writeFileSync(path.join(outDir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
console.log(`built @purchase/${name} ${rootPackage.version} in ${path.relative(ROOT, outDir)} (${Object.keys(dependencies).length} dependencies)`);

/** Every module the compiled JavaScript under `dir` requires or imports (dynamic imports included). */
function requiredSpecifiers(dir) {
  const found = new Set();
  for (const entry of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (!entry.isFile() || !entry.name.endsWith('.js')) continue;
    const text = readFileSync(path.join(entry.parentPath ?? entry.path, entry.name), 'utf8');
    for (const match of text.matchAll(/\b(?:require|import)\(\s*["']([^"'./][^"']*)["']\s*\)/g)) found.add(match[1]);
  }
  return found;
}
