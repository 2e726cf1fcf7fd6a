import type { Router } from 'express';
import { apiRouter } from '../http/api-router';

export type MetricsRenderer = () => Promise<{ contentType: string; body: string }>;

/** GET /metrics in the Prometheus text format: this process's metrics, or with WORKERS those of every worker. */
export function metricsRoutes(render: MetricsRenderer): Router {
  const router = apiRouter();
  router.get('/metrics', async (_req, res) => {
    const { contentType, body } = await render();
    res.type(contentType).send(body);
  });
  return router;
}
