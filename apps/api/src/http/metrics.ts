import type { Prediction } from '@purchase/inference';
import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client';
import { RequestSeriesMetrics } from './request-series-metrics';

/** Predictions of one label and model version not yet added to predictions_total. */
interface PendingCount {
  readonly labels: { purchase_prediction: '0' | '1'; model_version: string };
  count: number;
}

/**
 * The service's Prometheus metrics, on a registry of its own (not prom-client's global one), so
 * that two apps in one process (tests) do not share counters.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  /** http_requests_total and http_request_duration_seconds, by method, route and status. */
  private readonly requests = new RequestSeriesMetrics({
    registry: this.registry,
    counter: { name: 'http_requests_total', help: 'HTTP requests answered, by method, route and status.' },
    histogram: {
      name: 'http_request_duration_seconds',
      help: 'Time from the arrival of a request to the end of its answer, by method, route and status.',
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    },
  });

  /**
   * Predictions counted since the last scrape, by model version and label ('0', '1'): added to
   * predictions_total when it is read (prom-client's `collect` hook), so that a request does not
   * pay prom-client's label hashing. `pendingInOrder` keeps the order of first use, so series
   * appear as if each request had incremented the counter.
   */
  private readonly pendingByVersion = new Map<string, [PendingCount | undefined, PendingCount | undefined]>();
  private readonly pendingInOrder: PendingCount[] = [];

  private readonly predictions: Counter<'purchase_prediction' | 'model_version'> = new Counter({
    name: 'predictions_total',
    help: 'Sessions scored, by predicted label (purchase_prediction) and model version.',
    labelNames: ['purchase_prediction', 'model_version'] as const,
    registers: [this.registry],
    collect: () => {
      for (const pending of this.pendingInOrder) {
        if (pending.count > 0) this.predictions.inc(pending.labels, pending.count);
        pending.count = 0;
      }
    },
  });

  // Per service, not per process: with WORKERS, every worker serves the same model and counts
  // the same reloads, so the aggregate is the largest (prom-client's AggregatorRegistry).
  private readonly modelInfo = new Gauge({
    name: 'model_info',
    help: 'The model being served: 1 for its version and type, absent without a model.',
    labelNames: ['model_version', 'model_type'] as const,
    registers: [this.registry],
    aggregator: 'max',
  });

  private readonly reloads = new Counter({
    name: 'model_reloads_total',
    help: 'Model reload attempts, by outcome (loaded or refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
    aggregator: 'max',
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    this.requests.seriesFor(method, route, status).observe(seconds);
  }

  countPredictions(modelVersion: string, predictions: readonly Prediction[]): void {
    let positives = 0;
    for (let i = 0; i < predictions.length; i++) positives += predictions[i].purchase_prediction;
    const negatives = predictions.length - positives;
    if (positives > 0) this.uncounted(1, modelVersion).count += positives;
    if (negatives > 0) this.uncounted(0, modelVersion).count += negatives;
  }

  private uncounted(label: 0 | 1, modelVersion: string): PendingCount {
    let byLabel = this.pendingByVersion.get(modelVersion);
    if (!byLabel) {
      byLabel = [undefined, undefined];
      this.pendingByVersion.set(modelVersion, byLabel);
    }
    let pending = byLabel[label];
    if (!pending) {
      pending = { labels: { purchase_prediction: label === 1 ? '1' : '0', model_version: modelVersion }, count: 0 };
      byLabel[label] = pending;
      this.pendingInOrder.push(pending);
    }
    return pending;
  }

  setModel(model: { version: string; model_type: string } | undefined): void {
    this.modelInfo.reset();
    if (model) this.modelInfo.set({ model_version: model.version, model_type: model.model_type }, 1);
  }

  countReload(outcome: 'loaded' | 'refused'): void {
    this.reloads.inc({ outcome });
  }

  async render(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() };
  }
}
