import cluster, { type Worker } from 'node:cluster';
import { realpath } from 'node:fs/promises';
import type { Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { ApiConfig } from '../config/api-config';
import type { ReloadOutcome } from '../model/model-holder';
import { isMessage, WORKER_BUNDLE_ENV, type ToPrimary, type ToWorker } from './cluster-protocol';
import { agreeOnReload, type Participant } from './reload-agreement';

/** How long a worker may take to prepare or commit a bundle before the reload is abandoned. */
const STEP_TIMEOUT_MS = 120_000;
/** Restarts of a dead worker back off from this delay, doubling up to MAX_RESTART_DELAY_MS. */
const RESTART_DELAY_MS = 100;
const MAX_RESTART_DELAY_MS = 10_000;
/** A worker that lived this long resets the back-off. */
const HEALTHY_LIFETIME_MS = 60_000;

export class ClusterReloadRefused extends Error {
  constructor(
    readonly dir: string,
    readonly reason: string,
  ) {
    super(`refused the model bundle at ${dir}: ${reason}`);
    this.name = 'ClusterReloadRefused';
  }
}

/**
 * The primary of WORKERS=N: it serves nothing itself. It forks the workers, restarts one that dies
 * (logged, with back-off), runs reloads (SIGHUP, or /admin/reload on any worker) as a two-phase
 * agreement (cluster-protocol.ts), answers a worker's /metrics with the metrics of all workers
 * (prom-client's AggregatorRegistry: counters per service), and on SIGTERM or SIGINT passes the
 * signal to every worker, each of which drains as a single process does, then exits.
 */
export class ClusterPrimary {
  private readonly aggregator = new AggregatorRegistry();
  private readonly started = new Map<number, number>();
  private committedDir: string | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private restartDelayMs = RESTART_DELAY_MS;
  private stopping = false;
  /** Whether any worker has listened yet: a worker that dies before is a failed start, not restarted. */
  private listened = false;
  private failStart: (err: Error) => void = () => undefined;
  /** Replies awaited from workers, by message id and worker id. */
  private readonly pending = new Map<string, { resolve: (m: ToPrimary) => void; reject: (e: Error) => void }>();

  constructor(
    private readonly config: ApiConfig,
    private readonly logger: Logger,
  ) {}

  /** Forks the workers on the bundle models/current resolves to now; resolves when one listens. */
  async start(): Promise<{ port: number }> {
    this.committedDir = await realpath(this.config.modelDir).catch(() => undefined);
    cluster.on('message', (worker, message: unknown) => this.onMessage(worker, message));
    cluster.on('exit', (worker, code, signal) => this.onExit(worker, code, signal));
    const listening = new Promise<{ port: number }>((resolve, reject) => {
      this.failStart = reject;
      cluster.once('listening', (_w, address) => {
        this.listened = true;
        resolve({ port: address.port });
      });
    });
    for (let i = 0; i < this.config.workers; i++) this.fork();
    return listening;
  }

  /** The workers alive. */
  get workers(): Worker[] {
    return Object.values(cluster.workers ?? {}).filter((w): w is Worker => w !== undefined && !w.isDead());
  }

  /** A reload agreed by every worker; rejects with ClusterReloadRefused when any refuses. */
  reload(): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.agreeOnReload());
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Passes the signal to every worker and resolves with 0 when all exited cleanly, 1 otherwise. */
  async stop(signal: NodeJS.Signals, deadlineMs: number): Promise<number> {
    this.stopping = true;
    const workers = this.workers;
    let clean = true;
    const exits = workers.map(
      (w) =>
        new Promise<void>((resolve) => {
          w.once('exit', (code) => {
            if (code !== 0) clean = false;
            resolve();
          });
        }),
    );
    for (const w of workers) w.process.kill(signal);
    const timer = setTimeout(() => {
      clean = false;
      for (const w of this.workers) w.process.kill('SIGKILL');
    }, deadlineMs);
    await Promise.all(exits);
    clearTimeout(timer);
    return clean ? 0 : 1;
  }

  private fork(): void {
    const env: Record<string, string> = {};
    if (this.committedDir) env[WORKER_BUNDLE_ENV] = this.committedDir;
    const worker = cluster.fork(env);
    this.started.set(worker.id, Date.now());
    this.logger.info({ worker: worker.id, pid: worker.process.pid, bundle: this.committedDir ?? null }, 'worker started');
  }

  private onExit(worker: Worker, code: number, signal: string | null): void {
    const lived = Date.now() - (this.started.get(worker.id) ?? Date.now());
    this.started.delete(worker.id);
    for (const [key, waiter] of this.pending) {
      if (key.endsWith(`/${worker.id}`)) {
        this.pending.delete(key);
        waiter.reject(new Error(`worker ${worker.id} exited (code ${code}, signal ${signal ?? 'none'})`));
      }
    }
    if (this.stopping) return;
    if (!this.listened) {
      // The worker said why on stderr (a taken port, say): restarting it would fail the same way.
      this.stopping = true;
      for (const w of this.workers) w.process.kill('SIGKILL');
      this.failStart(new Error(`worker ${worker.id} exited with code ${code} before the service listened; stopping`));
      return;
    }
    if (lived >= HEALTHY_LIFETIME_MS) this.restartDelayMs = RESTART_DELAY_MS;
    const delay = this.restartDelayMs;
    this.restartDelayMs = Math.min(MAX_RESTART_DELAY_MS, this.restartDelayMs * 2);
    this.logger.error({ worker: worker.id, pid: worker.process.pid, code, signal, lived_ms: lived, restart_in_ms: delay }, 'worker died; restarting it');
    // A replacement joins between reloads, on the bundle in service then.
    setTimeout(() => {
      if (!this.stopping) this.queue = this.queue.then(() => this.fork());
    }, delay).unref();
  }

  private onMessage(worker: Worker, message: unknown): void {
    if (isMessage<Extract<ToPrimary, { type: 'purchase:reload-request' }>>(message, 'purchase:reload-request')) {
      this.reload().then(
        (outcome) => send(worker, { type: 'purchase:reload-result', id: message.id, outcome }),
        (err: Error) => {
          const refused = err instanceof ClusterReloadRefused ? { dir: err.dir, reason: err.reason } : { dir: this.config.modelDir, reason: err.message };
          send(worker, { type: 'purchase:reload-result', id: message.id, refused });
        },
      );
      return;
    }
    if (isMessage<Extract<ToPrimary, { type: 'purchase:metrics-request' }>>(message, 'purchase:metrics-request')) {
      this.aggregator.clusterMetrics().then(
        (body) => send(worker, { type: 'purchase:metrics-result', id: message.id, contentType: this.aggregator.contentType, body }),
        (err: Error) => send(worker, { type: 'purchase:metrics-result', id: message.id, error: err.message }),
      );
      return;
    }
    if (isMessage<ToPrimary>(message, 'purchase:prepared') || isMessage<ToPrimary>(message, 'purchase:committed')) {
      const m = message as ToPrimary & { id: number };
      const key = `${m.type}:${m.id}/${worker.id}`;
      const waiter = this.pending.get(key);
      this.pending.delete(key);
      waiter?.resolve(m);
    }
  }

  /** Sends `message` to `worker` and waits for its reply of type `reply`. */
  private ask(worker: Worker, message: ToWorker & { id: number }, reply: ToPrimary['type']): Promise<ToPrimary> {
    return new Promise((resolve, reject) => {
      const key = `${reply}:${message.id}/${worker.id}`;
      const timer = setTimeout(() => {
        this.pending.delete(key);
        reject(new Error(`worker ${worker.id} did not answer within ${STEP_TIMEOUT_MS / 1000} s`));
      }, STEP_TIMEOUT_MS);
      this.pending.set(key, {
        resolve: (m) => {
          clearTimeout(timer);
          resolve(m);
        },
        reject: (e) => {
          clearTimeout(timer);
          reject(e);
        },
      });
      send(worker, message);
    });
  }

  private async agreeOnReload(): Promise<ReloadOutcome> {
    const link = this.config.modelDir;
    let dir: string;
    try {
      dir = await realpath(link);
    } catch (err) {
      throw this.refused(link, `cannot resolve ${link}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    const id = this.nextId++;
    const workers = this.workers;
    this.logger.info({ dir, workers: workers.length }, 'reload: every worker prepares the bundle');
    const participants: Participant[] = workers.map((w) => ({
      id: w.id,
      prepare: async (bundle) => {
        const m = (await this.ask(w, { type: 'purchase:prepare', id, dir: bundle }, 'purchase:prepared')) as Extract<ToPrimary, { type: 'purchase:prepared' }>;
        if ('refused' in m) throw new Error(m.refused);
        return m.version;
      },
      commit: async () => ((await this.ask(w, { type: 'purchase:commit', id }, 'purchase:committed')) as Extract<ToPrimary, { type: 'purchase:committed' }>).outcome,
      abort: () => send(w, { type: 'purchase:abort', id }),
    }));
    const agreement = await agreeOnReload(participants, dir);
    if ('refused' in agreement) throw this.refused(dir, agreement.refused);
    this.committedDir = dir;
    const { outcome, committed } = agreement;
    this.logger.info({ dir, version: outcome.version, previous: outcome.previous_version, workers: committed }, 'reload: every worker serves the bundle');
    return outcome;
  }

  private refused(dir: string, reason: string): ClusterReloadRefused {
    this.logger.error({ dir, reason }, 'reload refused by the cluster; every worker keeps its model');
    return new ClusterReloadRefused(dir, reason);
  }
}

function send(worker: Worker, message: ToWorker): void {
  if (worker.isConnected()) worker.send(message);
}
