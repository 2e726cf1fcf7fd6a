import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';

/**
 * Work item `item` of a run, done by participant `part` (0 is the calling thread, 1.. the workers)
 * on the shared buffers `s`. A kernel runs on the workers from its source text (see workerSource),
 * so it may use only its arguments, the functions given beside it and JavaScript's globals: no
 * imports, no module-level constants, no closures.
 */
export type Kernel<S> = (s: S, item: number, part: number) => void;

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- any function: only its source text is used
type AnyFunction = (...args: any[]) => unknown;

// Slots of the control array (Int32Array over shared memory).
const GEN = 0; // bumped once per run: workers sleep on it
const KERNEL = 1; // index of the run's kernel; -1 tells workers to exit
const COUNT = 2; // work items in the run
const DONE = 3; // items finished: the caller sleeps on it
const VERSION = 4; // bumped when buffers are replaced (update)
const FAILED = 5; // 1 once a worker has thrown
const CONTROL_SLOTS = 6;

/** Iterations of Atomics.load a thread polls before it sleeps (some 50 µs): a wake-up costs more, and the gaps between runs are mostly shorter. */
const SPIN = 20_000;

/** Threads a fit uses unless told otherwise: all cores (os.availableParallelism()). */
export function defaultThreads(): number {
  return os.availableParallelism();
}

/**
 * Threads that run kernels over buffers in shared memory, the caller's thread among them. A run is
 * a list of numbered work items; every thread claims items one at a time until none is left, so a
 * thread the OS delays only takes fewer, and the caller returns when all are done. Which thread
 * does which item varies from run to run: kernels are written so that the result does not depend
 * on it (each item writes its own outputs).
 *
 * With one thread there are no workers and run() loops over the items itself.
 */
export class FitThreads<S extends object> {
  private readonly control = new Int32Array(new SharedArrayBuffer(CONTROL_SLOTS * 4));
  /** (generation << 32) | next unclaimed item: one word, so a claim of a finished run always fails. */
  private readonly next = new BigInt64Array(new SharedArrayBuffer(8));
  private generation = 0;
  private version = 0;
  private readonly index: Map<Kernel<S>, number>;

  private constructor(
    kernels: readonly Kernel<S>[],
    private readonly state: S,
    private readonly workers: Worker[],
    private readonly ports: MessagePort[],
  ) {
    this.index = new Map(kernels.map((k, i) => [k, i]));
  }

  /**
   * Starts `threads - 1` workers that share `state` (with workers, every typed array in it must be
   * over a SharedArrayBuffer). `helpers` are the functions the kernels call.
   */
  static async start<S extends object>(threads: number, kernels: readonly Kernel<S>[], helpers: readonly AnyFunction[], state: S): Promise<FitThreads<S>> {
    const pool = new FitThreads<S>(kernels, state, [], []);
    if (threads <= 1) return pool;
    checkShared(state);
    const source = workerSource(kernels, helpers);
    const started: Promise<void>[] = [];
    for (let part = 1; part < threads; part++) {
      const { port1, port2 } = new MessageChannel();
      const worker = new Worker(source, {
        eval: true,
        workerData: { control: pool.control, next: pool.next, port: port2, part, spin: SPIN },
        transferList: [port2],
      });
      pool.workers.push(worker);
      pool.ports.push(port1);
      port1.postMessage({ version: 0, fields: state });
      started.push(
        new Promise<void>((resolve, reject) => {
          worker.once('message', () => resolve());
          worker.once('error', reject);
          worker.once('exit', (code) => reject(new Error(`a training thread exited with code ${code} before it started`)));
        }),
      );
    }
    try {
      await Promise.all(started);
    } catch (err) {
      await pool.close();
      throw err;
    }
    for (const worker of pool.workers) {
      worker.removeAllListeners();
      // Once started, a worker never keeps the process alive, whatever happens to the fit.
      worker.unref();
    }
    return pool;
  }

  /** Threads working, the caller's included. */
  get threads(): number {
    return this.workers.length + 1;
  }

  /** Replaces buffers (and values) of the shared state on every thread; typed arrays must be shared. */
  update(fields: Partial<S>): void {
    Object.assign(this.state, fields);
    if (this.workers.length === 0) return;
    checkShared(fields);
    this.version++;
    for (const port of this.ports) port.postMessage({ version: this.version, fields });
    // Posted messages are queued on the workers' ports before this store is seen.
    Atomics.store(this.control, VERSION, this.version);
  }

  /** Runs items 0..count-1 of `run` (one of the pool's kernels) on every thread; returns when all are done. */
  run(run: Kernel<S>, count: number): void {
    if (count === 0) return;
    const { control, next, state } = this;
    if (this.workers.length === 0) {
      for (let i = 0; i < count; i++) run(state, i, 0);
      return;
    }
    const kernel = this.index.get(run);
    if (kernel === undefined) throw new Error(`internal: ${run.name} is not one of the pool's kernels`);
    const g = ++this.generation;
    const tag = BigInt(g) << 32n;
    // The claim word first: from here on a worker still in the last run can claim nothing, and
    // one that reads this run's kernel and count sees this run's word too.
    Atomics.store(next, 0, tag);
    Atomics.store(control, KERNEL, kernel);
    Atomics.store(control, COUNT, count);
    Atomics.store(control, DONE, 0);
    Atomics.store(control, GEN, g);
    Atomics.notify(control, GEN);
    for (;;) {
      const claimed = Atomics.load(next, 0);
      const i = Number(claimed - tag);
      if (i >= count) break;
      if (Atomics.compareExchange(next, 0, claimed, claimed + 1n) !== claimed) continue;
      run(state, i, 0);
      Atomics.add(control, DONE, 1);
    }
    for (let spin = 0; Atomics.load(control, DONE) < count; spin++) {
      if (Atomics.load(control, FAILED) === 1) this.fail();
      const done = Atomics.load(control, DONE);
      if (spin >= SPIN && done < count) Atomics.wait(control, DONE, done, 100);
    }
  }

  /** Stops the workers; runs after that happen on the calling thread alone. */
  async close(): Promise<void> {
    if (this.workers.length === 0) return;
    Atomics.store(this.control, KERNEL, -1);
    Atomics.add(this.control, GEN, 1);
    Atomics.notify(this.control, GEN);
    await Promise.all(this.workers.map((w) => w.terminate()));
    for (const port of this.ports) port.close();
    this.workers.length = 0;
  }

  private fail(): never {
    for (const port of this.ports) {
      const message = receiveMessageOnPort(port)?.message as { error?: string } | undefined;
      if (message?.error) throw new Error(`a training thread failed: ${message.error}`);
    }
    throw new Error('a training thread failed');
  }
}

/**
 * The program of a worker: the helpers and kernels from their source text, then workerLoop. The
 * source text of a function survives bundling (esbuild renames a function and its callers alike)
 * and compilation to CommonJS, so the library works bundled, compiled or from npm alike.
 */
function workerSource(kernels: readonly AnyFunction[], helpers: readonly AnyFunction[]): string {
  const functions = [...helpers, ...kernels].map((f) => f.toString()).join('\n\n');
  return `'use strict';\n${functions}\n\n(${workerLoop.toString()})(require('node:worker_threads'), [${kernels.map((k) => k.name).join(', ')}]);\n`;
}

interface WorkerData {
  control: Int32Array;
  next: BigInt64Array;
  port: MessagePort;
  part: number;
  spin: number;
}

/** A worker's life: sleep until a run starts, claim and do items, report, repeat; exit when told. */
function workerLoop(threads: typeof import('node:worker_threads'), kernels: Kernel<object>[]): void {
  const { control, next, port, part, spin } = threads.workerData as WorkerData;
  // Slots as in FitThreads: GEN 0, KERNEL 1, COUNT 2, DONE 3, VERSION 4, FAILED 5.
  const state: Record<string, unknown> = {};
  let version = -1;
  const refresh = (): void => {
    for (let m = threads.receiveMessageOnPort(port); m !== undefined; m = threads.receiveMessageOnPort(port)) {
      const { version: v, fields } = m.message as { version: number; fields: Record<string, unknown> };
      Object.assign(state, fields);
      version = v;
    }
  };
  refresh();
  // The generation seen before saying ready: the first run bumps it, whenever this thread looks.
  let seen = Atomics.load(control, 0);
  threads.parentPort?.postMessage('ready');
  try {
    for (;;) {
      for (let i = 0; Atomics.load(control, 0) === seen; i++) if (i >= spin) Atomics.wait(control, 0, seen);
      const g = Atomics.load(control, 0);
      seen = g;
      const kernel = Atomics.load(control, 1);
      if (kernel < 0) return;
      if (Atomics.load(control, 4) !== version) refresh();
      const count = Atomics.load(control, 2);
      const tag = BigInt(g) << 32n;
      const run = kernels[kernel];
      for (;;) {
        const claimed = Atomics.load(next, 0);
        const i = Number(claimed - tag);
        // Another generation's word (older or newer) gives i < 0 or i >= 2^32: nothing to claim.
        if (i < 0 || i >= count) break;
        if (Atomics.compareExchange(next, 0, claimed, claimed + 1n) !== claimed) continue;
        run(state, i, part);
        if (Atomics.add(control, 3, 1) + 1 === count) Atomics.notify(control, 3);
      }
    }
  } catch (err) {
    port.postMessage({ error: err instanceof Error ? (err.stack ?? err.message) : String(err) });
    Atomics.store(control, 5, 1);
    Atomics.notify(control, 3);
  }
}

function checkShared(fields: object): void {
  for (const [name, value] of Object.entries(fields)) {
    if (ArrayBuffer.isView(value) && !(value.buffer instanceof SharedArrayBuffer)) {
      throw new Error(`internal: ${name} must be over a SharedArrayBuffer to be shared with the training threads`);
    }
  }
}

/** A typed array type that can be made over a SharedArrayBuffer. */
export interface TypedArrayType<T> {
  new (buffer: SharedArrayBuffer): T;
  readonly BYTES_PER_ELEMENT: number;
}

/** A zeroed typed array over shared memory. */
export function shared<T>(Type: TypedArrayType<T>, length: number): T {
  return new Type(new SharedArrayBuffer(Math.max(0, length) * Type.BYTES_PER_ELEMENT));
}

/**
 * A zeroed Float32Array over shared memory, for a matrix a fit will read: the training threads of
 * the tree models take it as it is, where any other array is first copied to shared memory.
 */
export function sharedFloat32(length: number): Float32Array {
  return shared(Float32Array, length);
}

/** The same values in shared memory (the input itself when it already is). */
export function sharedCopy(values: Float32Array): Float32Array {
  if (values.buffer instanceof SharedArrayBuffer) return values;
  const copy = shared(Float32Array, values.length);
  copy.set(values);
  return copy;
}
