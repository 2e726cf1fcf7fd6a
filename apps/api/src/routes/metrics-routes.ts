import type { Router } from 'express';
import { apiRouter } from '../http/api-router';
import type { ApiMetrics } from '../http/metrics';

/** GET /metrics in the Prometheus text format. */
export function metricsRoutes(metrics: ApiMetrics): Router {
  const router = apiRouter();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await metrics.render();
    res.type(contentType).send(body);
  });
  return router;
}
