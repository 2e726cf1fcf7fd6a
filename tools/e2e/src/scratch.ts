import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The workspace this checkout is. */
export const ROOT = path.resolve(__dirname, '../../..');

export interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
  /** stdout and stderr together, for messages that either may carry. */
  output: string;
}

/** Runs a command to completion; never throws for a non-zero exit (the tests look at it). */
export function run(command: string, args: string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Ran {
  const result = spawnSync(command, args, {
    cwd: options.cwd,
    env: { ...process.env, FORCE_COLOR: '0', NO_COLOR: '1', NX_DAEMON: 'false', NX_NO_CLOUD: 'true', NX_TUI: 'false', ...options.env },
    encoding: 'utf8',
    timeout: options.timeoutMs ?? 240_000,
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, output: `${result.stdout}${result.stderr}` };
}

/** A directory of its own under the system's temp dir, removed by `remove()`. */
export function scratchDir(label: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(path.join(os.tmpdir(), `purchase-${label}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * The workspace as a fresh clone has it: the files git tracks (and new ones it does not ignore),
 * without .nx, dist or models; node_modules is linked, as `npm ci` would have made it.
 */
export function freshCopy(label: string): { dir: string; remove: () => void } {
  const scratch = scratchDir(label);
  const files = run('git', ['ls-files', '-co', '--exclude-standard', '-z'], { cwd: ROOT });
  // As the working tree has them: a tracked file deleted but not yet committed is left out.
  const list = files.stdout.split('\0').filter((f) => f !== '' && !f.startsWith('node_modules/') && existsSync(path.join(ROOT, f)));
  const tar = spawnSync('tar', ['-cf', '-', '--null', '-T', '-'], { cwd: ROOT, input: list.join('\0'), maxBuffer: 1024 * 1024 * 1024 });
  const untar = spawnSync('tar', ['-xf', '-'], { cwd: scratch.dir, input: tar.stdout });
  if (tar.status !== 0 || untar.status !== 0) throw new Error(`copying the workspace failed: ${tar.stderr}${untar.stderr}`);
  symlinkSync(path.join(ROOT, 'node_modules'), path.join(scratch.dir, 'node_modules'));
  return scratch;
}

/** Starts a long-running process (a server); `stop()` ends it with SIGTERM. */
export function start(command: string, args: string[], options: { cwd: string; env: Record<string, string> }) {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  let stdout = '';
  child.stderr.on('data', (c) => (stderr += c));
  child.stdout.on('data', (c) => (stdout += c));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return {
    child,
    stderr: () => stderr,
    stdout: () => stdout,
    exited,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}

/** The URL a service prints on stderr when it listens ("listening on http://..."). */
export async function listeningUrl(stderr: () => string, exited: Promise<unknown>, timeoutMs = 30_000): Promise<string> {
  let done = false;
  void exited.then(() => (done = true));
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /listening on (http:\/\/\S+)/.exec(stderr());
    if (match) return match[1];
    if (done || Date.now() > deadline) throw new Error(`the service did not start:\n${stderr()}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
