import { Counter, Histogram, Registry } from 'prom-client';
import { RequestSeriesMetrics } from './request-series-metrics';

const COUNTER = { name: 'http_requests_total', help: 'Requests.' };
const HISTOGRAM = { name: 'http_request_duration_seconds', help: 'Latency.', buckets: [0.001, 0.01, 0.1, 1] };

/** The same observations through prom-client's own Counter and Histogram, and through RequestSeriesMetrics. */
function both() {
  const reference = new Registry();
  const labelNames = ['method', 'route', 'status'] as const;
  const counter = new Counter({ ...COUNTER, labelNames, registers: [reference] });
  const histogram = new Histogram({ ...HISTOGRAM, labelNames, registers: [reference] });
  const registry = new Registry();
  const fast = new RequestSeriesMetrics({ registry, counter: COUNTER, histogram: HISTOGRAM });
  const observe = (method: string, route: string, status: number, seconds: number) => {
    const labels = { method, route, status: String(status) };
    counter.inc(labels);
    histogram.observe(labels, seconds);
    fast.seriesFor(method, route, status).observe(seconds);
  };
  return { reference, registry, observe };
}

describe('RequestSeriesMetrics', () => {
  it("writes the Prometheus text and JSON of prom-client's Counter and Histogram, series in order of first use", async () => {
    const { reference, registry, observe } = both();
    // Bounds included (le is inclusive), past the last bound (+Inf only), and series interleaved.
    const requests: [string, string, number, number][] = [
      ['POST', '/predict', 200, 0.0004],
      ['POST', '/predict', 422, 0.001],
      ['GET', 'unmatched', 404, 0.05],
      ['POST', '/predict', 200, 0.01],
      ['POST', '/predict/batch', 200, 3],
      ['POST', '/predict', 422, 0.2],
      ['POST', '/predict', 200, 0.0004],
    ];
    for (const r of requests) observe(...r);

    const text = await registry.metrics();
    expect(text).toBe(await reference.metrics());
    expect(text).toContain('http_requests_total{method="POST",route="/predict",status="200"} 3');
    expect(text).toContain('http_request_duration_seconds_bucket{le="0.01",method="POST",route="/predict",status="200"} 3');
    expect(text).toContain('http_request_duration_seconds_bucket{le="1",method="POST",route="/predict/batch",status="200"} 0');
    expect(text).toContain('http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/predict/batch",status="200"} 1');
    expect(await registry.getMetricsAsJSON()).toEqual(await reference.getMetricsAsJSON());
  });

  it('starts every series again from zero after a registry reset', async () => {
    const { reference, registry, observe } = both();
    observe('POST', '/predict', 200, 0.002);
    reference.resetMetrics();
    registry.resetMetrics();
    expect(await registry.metrics()).toBe(await reference.metrics());
    observe('POST', '/predict', 200, 0.5);
    expect(await registry.metrics()).toBe(await reference.metrics());
    expect(await registry.metrics()).toContain('http_request_duration_seconds_count{method="POST",route="/predict",status="200"} 1');
  });
});
