import type { Prediction } from '@purchase/inference';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The service's Prometheus metrics, on a registry of its own (not prom-client's global one), so
 * that two apps in one process (tests) do not share counters.
 */
export class ApiMetrics {
  readonly registry = new Registry();

  private readonly requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests answered, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  private readonly latency = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'Time from the arrival of a request to the end of its answer, by method, route and status.',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  private readonly predictions = new Counter({
    name: 'predictions_total',
    help: 'Sessions scored, by predicted label (purchase_prediction) and model version.',
    labelNames: ['purchase_prediction', 'model_version'] as const,
    registers: [this.registry],
  });

  private readonly modelInfo = new Gauge({
    name: 'model_info',
    help: 'The model being served: 1 for its version and type, absent without a model.',
    labelNames: ['model_version', 'model_type'] as const,
    registers: [this.registry],
  });

  private readonly reloads = new Counter({
    name: 'model_reloads_total',
    help: 'Model reload attempts, by outcome (loaded or refused).',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: this.registry });
  }

  /** The series of each (method, route, status), looked up once: prom-client hashes a label object per call otherwise. */
  private readonly series = new Map<string, { count: { inc(): void }; latency: { observe(value: number): void } }>();

  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (!series) {
      const labels = { method, route, status: String(status) };
      series = { count: this.requests.labels(labels), latency: this.latency.labels(labels) };
      this.series.set(key, series);
    }
    series.count.inc();
    series.latency.observe(seconds);
  }

  countPredictions(modelVersion: string, predictions: readonly Prediction[]): void {
    let positives = 0;
    for (let i = 0; i < predictions.length; i++) positives += predictions[i].purchase_prediction;
    const negatives = predictions.length - positives;
    if (positives > 0) this.predictions.inc({ purchase_prediction: '1', model_version: modelVersion }, positives);
    if (negatives > 0) this.predictions.inc({ purchase_prediction: '0', model_version: modelVersion }, negatives);
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
