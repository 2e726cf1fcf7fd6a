import type { Metric, Registry } from 'prom-client';

type Labels = Record<string, string>;

/** The count, latency sum and latency buckets (not cumulative) of one label set. */
export class RequestSeries {
  count = 0;
  sum = 0;
  readonly buckets: Float64Array;

  constructor(
    readonly labels: Labels,
    private readonly upperBounds: readonly number[],
  ) {
    this.buckets = new Float64Array(upperBounds.length);
  }

  /** One answered request that took `seconds`. */
  observe(seconds: number): void {
    this.count++;
    this.sum += seconds;
    const bounds = this.upperBounds;
    for (let i = 0; i < bounds.length; i++) {
      if (seconds <= bounds[i]) {
        this.buckets[i]++;
        return;
      }
    }
  }
}

/**
 * A request counter and a latency histogram over the same label sets, written as prom-client's
 * Counter and Histogram write them (same lines, same order: series in order of first use). On the
 * path of every request prom-client's `inc`/`observe` validate and hash the label object each time
 * (a few per cent of a /predict request); here a request updates its series, looked up once.
 */
export class RequestSeriesMetrics {
  private series = new Map<string, RequestSeries>();
  /** The series used last: under steady traffic, most requests share it. */
  private last: { method: string; route: string; status: number; series: RequestSeries } | undefined;
  private readonly bounds: number[];

  constructor(options: {
    registry: Registry;
    counter: { name: string; help: string };
    histogram: { name: string; help: string; buckets: readonly number[] };
  }) {
    const { counter, histogram } = options;
    const bounds = [...histogram.buckets];
    const reset = () => {
      this.series = new Map();
      this.last = undefined;
    };
    const counterMetric = {
      name: counter.name,
      help: counter.help,
      type: 'counter',
      aggregator: 'sum',
      get: async () => ({
        help: counter.help,
        name: counter.name,
        type: 'counter',
        values: [...this.series.values()].map((s) => ({ value: s.count, labels: s.labels })),
        aggregator: 'sum',
      }),
      reset,
    };
    const histogramValues = () => {
      const values: { labels: Record<string, string | number>; sharedLabels: Labels; value: number; metricName: string; exemplar?: null }[] = [];
      for (const s of this.series.values()) {
        let cumulative = 0;
        for (let i = 0; i < bounds.length; i++) {
          cumulative += s.buckets[i];
          values.push({ labels: { le: bounds[i] }, sharedLabels: s.labels, value: cumulative, metricName: `${histogram.name}_bucket`, exemplar: null });
        }
        values.push({ labels: { le: '+Inf' }, sharedLabels: s.labels, value: s.count, metricName: `${histogram.name}_bucket`, exemplar: null });
        values.push({ labels: {}, sharedLabels: s.labels, value: s.sum, metricName: `${histogram.name}_sum` });
        values.push({ labels: {}, sharedLabels: s.labels, value: s.count, metricName: `${histogram.name}_count` });
      }
      return values;
    };
    const histogramMetric = {
      name: histogram.name,
      help: histogram.help,
      type: 'histogram',
      aggregator: 'sum',
      getForPromString: async () => ({ name: histogram.name, help: histogram.help, type: 'histogram', values: histogramValues(), aggregator: 'sum' }),
      get: async () => ({
        name: histogram.name,
        help: histogram.help,
        type: 'histogram',
        values: histogramValues().map(({ sharedLabels, labels, ...value }) => ({ ...value, labels: { ...labels, ...sharedLabels } })),
        aggregator: 'sum',
      }),
      reset,
    };
    options.registry.registerMetric(counterMetric as unknown as Metric);
    options.registry.registerMetric(histogramMetric as unknown as Metric);
    this.bounds = bounds;
  }

  /** The series of a (method, route, status): call `observe` on it. */
  seriesFor(method: string, route: string, status: number): RequestSeries {
    const last = this.last;
    if (last !== undefined && last.status === status && last.route === route && last.method === method) return last.series;
    const key = `${method} ${route} ${status}`;
    let series = this.series.get(key);
    if (!series) {
      series = new RequestSeries({ method, route, status: String(status) }, this.bounds);
      this.series.set(key, series);
    }
    this.last = { method, route, status, series };
    return series;
  }
}
