import request from 'supertest';
import { modelsDir } from '../test-fixtures/test-bundles';
import { testService } from '../test-fixtures/test-service';

const SESSION = { customer_id: 1, time_spent: 3, pages_viewed: 2, basket_value: 10, device_type: 'Desktop', customer_type: 'New' };

/** The value of one sample line of the Prometheus text, e.g. `http_requests_total{...} 3`. */
function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe('GET /metrics', () => {
  it('counts requests, latencies, predictions by label, and names the model version', async () => {
    const models = await modelsDir('v1');
    try {
      const service = await testService({ modelDir: models.current });
      const customers = Array.from({ length: 30 }, (_, i) => ({ ...SESSION, customer_id: i + 1, time_spent: i * 3, pages_viewed: i }));
      const batch = await request(service.app).post('/predict/batch').send({ customers }).expect(200);
      await request(service.app).post('/predict').send(SESSION).expect(200);
      await request(service.app).post('/predict').send({}).expect(422);
      await request(service.app).get('/nowhere').expect(404);

      const res = await request(service.app).get('/metrics').expect(200);
      expect(res.headers['content-type']).toMatch(/^text\/plain/);
      const text = res.text;
      expect(sample(text, 'http_requests_total{method="POST",route="/predict",status="200"}')).toBe(1);
      expect(sample(text, 'http_requests_total{method="POST",route="/predict",status="422"}')).toBe(1);
      expect(sample(text, 'http_requests_total{method="POST",route="/predict/batch",status="200"}')).toBe(1);
      expect(sample(text, 'http_requests_total{method="GET",route="unmatched",status="404"}')).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_count{method="POST",route="/predict",status="200"}')).toBe(1);
      expect(sample(text, 'http_request_duration_seconds_bucket{le="+Inf",method="POST",route="/predict/batch",status="200"}')).toBe(1);

      const labels = [...batch.body.predictions.map((p: { purchase_prediction: number }) => p.purchase_prediction)];
      const single = (await request(service.app).post('/predict').send(SESSION)).body.purchase_prediction as number;
      const again = await request(service.app).get('/metrics');
      const positives = labels.filter((l) => l === 1).length + 2 * single;
      const negatives = labels.length + 2 - positives;
      expect(sample(again.text, 'predictions_total{purchase_prediction="1",model_version="v1"}') ?? 0).toBe(positives);
      expect(sample(again.text, 'predictions_total{purchase_prediction="0",model_version="v1"}') ?? 0).toBe(negatives);
      expect(sample(again.text, `model_info{model_version="v1",model_type="${service.models.current!.info.model_type}"}`)).toBe(1);
    } finally {
      await models.cleanup();
    }
  });
});
