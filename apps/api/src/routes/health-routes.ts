import type { Router } from 'express';
import { RETRY_AFTER_SECONDS } from '../errors/api-error';
import { apiRouter } from '../http/api-router';
import type { PredictorInfo } from '@purchase/inference';
import type { HealthResponse, ModelInfo } from '../contract/health-response';
import type { ModelSource } from '../model/model-source';
import type { Lifecycle } from '../lifecycle/lifecycle';

/**
 * GET /health (the reference's shape) and the orchestrator probes: /health/live (and
 * /v2/health/live) answers 200 while the process runs; /health/ready (and /v2/health/ready) 200
 * only with a model loaded and no shutdown under way, 503 otherwise.
 */
export function healthRoutes(deps: { models: ModelSource; lifecycle: Lifecycle }): Router {
  const { models, lifecycle } = deps;
  const router = apiRouter();

  router.get('/health', (_req, res) => {
    const model = models.current;
    const body: HealthResponse = {
      status: model && !lifecycle.draining ? 'healthy' : 'unhealthy',
      model_loaded: model !== undefined,
      version: model?.info.version ?? null,
      model_info: model ? modelInfo(model.info) : null,
    };
    res.json(body);
  });

  // The Open Inference Protocol's server probes answer the same, in the same shapes.
  for (const prefix of ['', '/v2']) {
    router.get(`${prefix}/health/live`, (_req, res) => {
      res.json({ live: true });
    });
    router.get(`${prefix}/health/ready`, (_req, res) => {
      const ready = models.current !== undefined && !lifecycle.draining;
      if (!ready) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
      res.status(ready ? 200 : 503).json({ ready });
    });
  }

  return router;
}

function modelInfo(info: PredictorInfo): ModelInfo {
  const { version: _version, ...rest } = info;
  return rest;
}
