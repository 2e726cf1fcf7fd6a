import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';

/**
 * The one place that picks the tfjs backend. In order of preference: `tensorflow` (native libtensorflow
 * through @tensorflow/tfjs-node, used only when the real package is installed), `wasm`
 * (@tensorflow/tfjs-backend-wasm, ~4x faster than cpu here), then the pure-JS `cpu` backend.
 * PURCHASE_TF_BACKEND=tensorflow|wasm|cpu forces one; a forced backend that cannot start is an error,
 * not a silent fallback.
 */
export type TfBackendName = 'tensorflow' | 'wasm' | 'cpu';

export const BACKEND_ENV_VAR = 'PURCHASE_TF_BACKEND';

const BACKENDS: readonly TfBackendName[] = ['tensorflow', 'wasm', 'cpu'];

export interface BackendOptions {
  /** Use exactly this backend (overrides PURCHASE_TF_BACKEND). */
  backend?: TfBackendName;
  /** Where the "which backend runs" line and fallback notices go. Default: console.info / console.warn. */
  log?: (message: string, level: 'info' | 'warn') => void;
}

const defaultLog = (message: string, level: 'info' | 'warn'): void => {
  (level === 'warn' ? console.warn : console.info)(`[models] ${message}`);
};

let pending: Promise<TfBackendName> | undefined;

/**
 * Makes a tfjs backend ready and returns its name. Without options the choice is made once per
 * process (later calls return the same promise); with `backend` it switches to that backend.
 */
export function initBackend(options: BackendOptions = {}): Promise<TfBackendName> {
  const log = options.log ?? defaultLog;
  if (options.backend !== undefined) {
    if (pending !== undefined && tf.getBackend() === options.backend) return pending;
    pending = start(options.backend, log);
    return pending;
  }
  pending ??= select(log).catch((err: unknown) => {
    pending = undefined; // let a later call retry rather than cache the failure
    throw err;
  });
  return pending;
}

function forcedBackend(): TfBackendName | undefined {
  const value = process.env[BACKEND_ENV_VAR];
  if (value === undefined || value === '') return undefined;
  if (!(BACKENDS as readonly string[]).includes(value)) {
    throw new Error(`${BACKEND_ENV_VAR} must be one of ${BACKENDS.join(', ')}; got "${value}"`);
  }
  return value as TfBackendName;
}

async function select(log: NonNullable<BackendOptions['log']>): Promise<TfBackendName> {
  const forced = forcedBackend();
  if (forced !== undefined) return start(forced, log, `forced by ${BACKEND_ENV_VAR}`);
  if (realTfjsNodeInstalled()) {
    try {
      return await start('tensorflow', log);
    } catch (err) {
      log(`@tensorflow/tfjs-node is installed but did not start (${(err as Error).message}); trying wasm`, 'warn');
    }
  }
  try {
    return await start('wasm', log);
  } catch (err) {
    log(`wasm backend did not start (${(err as Error).message}); falling back to the slower pure-JS cpu backend`, 'warn');
    return start('cpu', log);
  }
}

/**
 * This workspace maps `@tensorflow/tfjs-node` to plain `@tensorflow/tfjs` (npm overrides, because
 * the real package cannot download libtensorflow here), so "resolvable" does not mean "installed":
 * the package.json name tells the two apart without loading either.
 */
function realTfjsNodeInstalled(): boolean {
  try {
    const manifest = require.resolve('@tensorflow/tfjs-node/package.json');
    return (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === '@tensorflow/tfjs-node';
  } catch {
    return false;
  }
}

async function start(name: TfBackendName, log: NonNullable<BackendOptions['log']>, why?: string): Promise<TfBackendName> {
  if (name === 'tensorflow') {
    // A variable specifier keeps bundlers and the type checker from resolving an optional package.
    const specifier = '@tensorflow/tfjs-node';
    await import(specifier);
  } else if (name === 'wasm') {
    // In Node the .wasm binaries load from the package's own dist/ folder (emscripten resolves them
    // beside the script), so setWasmPaths is not needed.
    await import('@tensorflow/tfjs-backend-wasm');
  } else {
    silenceCpuBanner();
  }
  if (!(await tf.setBackend(name))) throw new Error(`tfjs could not initialise the ${name} backend`);
  await tf.ready();
  log(`tfjs backend: ${name}${await detail(name)}${why ? ` (${why})` : ''}`, 'info');
  return name;
}

async function detail(name: TfBackendName): Promise<string> {
  if (name !== 'wasm') return '';
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return ` (SIMD ${simd ? 'on' : 'off'}, ${threads ? 'multi' : 'single'}-threaded)`;
}

/**
 * The cpu backend prints a banner urging tfjs-node on its first tensor write in Node. tfjs's only
 * switch for it is PROD mode, which would also hide every other tfjs warning; IS_NODE=false would
 * break file and wasm loading. The banner is a one-shot flag on the backend instance, so clearing
 * that flag silences exactly this message, and the log line above says honestly which backend runs.
 */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as unknown as { firstUse?: unknown } | null;
  if (cpu !== null && typeof cpu.firstUse === 'boolean') cpu.firstUse = false;
}
