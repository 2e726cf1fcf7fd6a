import { AggregatorRegistry } from 'prom-client';
import type { ApiMetrics } from '../http/metrics';
import { ModelRefusedError, type ModelEvent, type ModelHolder, type ModelLease, type PreparedModel, type ReloadOutcome } from '../model/model-holder';
import type { ModelSource } from '../model/model-source';
import { isMessage, type ToPrimary, type ToWorker } from './cluster-protocol';

type Reply<T extends ToWorker['type']> = Extract<ToWorker, { type: T }>;

/**
 * A worker's side of WORKERS=N: its model holder answers the primary's two-phase reloads, its own
 * reloads (POST /admin/reload) are asked of the primary so that every worker reloads, and its
 * /metrics are the primary's aggregate of all workers.
 */
export class ClusterWorker implements ModelSource {
  private readonly prepared = new Map<number, Promise<PreparedModel | undefined>>();
  private readonly waiting = new Map<number, (message: ToWorker) => void>();
  private nextId = 1;

  constructor(
    private readonly holder: ModelHolder,
    metrics: ApiMetrics,
  ) {
    // The primary's AggregatorRegistry collects this worker's registry over IPC: constructing one
    // installs prom-client's worker-side listener, setRegistries names what it reports.
    new AggregatorRegistry();
    AggregatorRegistry.setRegistries([metrics.registry]);
    process.on('message', (message: unknown) => this.onMessage(message));
  }

  get current() {
    return this.holder.current;
  }

  get contract() {
    return this.holder.contract;
  }

  acquire(): ModelLease | undefined {
    return this.holder.acquire();
  }

  onEvent(listener: (event: ModelEvent) => void): void {
    this.holder.onEvent(listener);
  }

  /** A reload of every worker, run by the primary; rejects with ModelRefusedError as a holder does. */
  async reload(): Promise<ReloadOutcome> {
    const reply = (await this.ask({ type: 'purchase:reload-request', id: this.nextId++ })) as Reply<'purchase:reload-result'>;
    if ('refused' in reply) throw new ModelRefusedError(reply.refused.dir, new Error(reply.refused.reason));
    return reply.outcome;
  }

  /** The Prometheus text of every worker's metrics, aggregated by the primary. */
  async renderMetrics(): Promise<{ contentType: string; body: string }> {
    const reply = (await this.ask({ type: 'purchase:metrics-request', id: this.nextId++ })) as Reply<'purchase:metrics-result'>;
    if ('error' in reply) throw new Error(`the metrics of the workers could not be collected: ${reply.error}`);
    return { contentType: reply.contentType, body: reply.body };
  }

  private ask(message: ToPrimary & { id: number }): Promise<ToWorker> {
    return new Promise((resolve, reject) => {
      if (!process.send || !process.connected) return reject(new Error('the primary process is gone'));
      this.waiting.set(message.id, resolve);
      process.send(message);
    });
  }

  private onMessage(message: unknown): void {
    if (isMessage<Reply<'purchase:prepare'>>(message, 'purchase:prepare')) {
      const { id, dir } = message;
      const prepared = this.holder.prepare(dir).then(
        (p) => {
          reply({ type: 'purchase:prepared', id, version: p.version });
          return p;
        },
        (err: Error) => {
          reply({ type: 'purchase:prepared', id, refused: err instanceof ModelRefusedError ? err.reason.message : err.message });
          return undefined;
        },
      );
      this.prepared.set(id, prepared);
    } else if (isMessage<Reply<'purchase:commit'>>(message, 'purchase:commit') || isMessage<Reply<'purchase:abort'>>(message, 'purchase:abort')) {
      const { id, type } = message;
      const prepared = this.prepared.get(id);
      this.prepared.delete(id);
      void prepared?.then((p) => {
        if (!p) return;
        if (type === 'purchase:abort') return p.abort();
        reply({ type: 'purchase:committed', id, outcome: p.commit() });
      });
    } else if (isMessage<Reply<'purchase:reload-result'>>(message, 'purchase:reload-result') || isMessage<Reply<'purchase:metrics-result'>>(message, 'purchase:metrics-result')) {
      const resolve = this.waiting.get(message.id);
      this.waiting.delete(message.id);
      resolve?.(message);
    }
  }
}

function reply(message: ToPrimary): void {
  if (process.send && process.connected) process.send(message);
}
