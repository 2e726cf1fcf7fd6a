import { Router } from 'express';
import type { ApiMetrics } from '../http/metrics';

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(metrics: ApiMetrics): Router {
  const router = Router();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
