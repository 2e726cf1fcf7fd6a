// How this workspace's TypeScript entry points are bundled, for running from source
// (tools/run-ts.mjs) and for the production build of the apps (tools/build/build-app.mjs) alike:
// the @purchase/* aliases of tsconfig.base.json are resolved and inlined, npm packages stay
// external (node_modules provides them at run time).
import path from 'node:path';

export const ROOT = path.dirname(path.dirname(new URL(import.meta.url).pathname));

export const esbuildOptions = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  packages: 'external',
  tsconfig: path.join(ROOT, 'tsconfig.base.json'),
  logLevel: 'warning',
};
