import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/**
 * npm start as a user runs it: the entry point bundled by esbuild (which, unlike the tests' SWC,
 * emits no decorator metadata) in a process of its own, driven by signals.
 */
const ROOT = path.resolve(__dirname, '../../../..');

export interface Started {
  child: ChildProcess;
  url: string;
  stdout: () => string;
  stderr: () => string;
  exited: Promise<number | null>;
}

/** Every service started here; killStartedServices (afterEach) kills what is left. */
const children: ChildProcess[] = [];

export function killStartedServices(): void {
  for (const child of children.splice(0)) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}

export function start(env: Record<string, string>): Omit<Started, 'url'> {
  const child = spawn(process.execPath, ['tools/run-ts.mjs', 'apps/api/src/start.ts'], {
    cwd: ROOT,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: '0', DRAIN_DELAY_MS: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (c) => (out += c));
  child.stderr?.on('data', (c) => (err += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout: () => out, stderr: () => err, exited };
}

/** Starts the service and resolves once it prints the line with its URL (one process or WORKERS). */
export async function startServing(env: Record<string, string>): Promise<Started> {
  const run = start(env);
  const deadline = Date.now() + 30_000;
  for (;;) {
    const match = /listening on (http:\/\/[^ ]+)(?: with \d+ workers)? \(API docs: \1\/docs\)/.exec(run.stderr());
    if (match) return { ...run, url: match[1] };
    if (Date.now() > deadline || run.child.exitCode !== null) throw new Error(`the service did not start:\n${run.stderr()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Polls `probe` every 50 ms until `ok` (5 s at most), and gives the last value. */
export async function until<T>(probe: () => Promise<T>, ok: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await probe();
    if (ok(value) || i > 100) return value;
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** The JSON log lines a service wrote to stdout. */
export function logLines(stdout: string): Record<string, unknown>[] {
  return stdout
    .trim()
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}
