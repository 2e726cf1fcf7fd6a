import type { RequestListener } from 'node:http';
import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { ApiConfig } from './config/api-config';
import { errorHandler, notFound } from './errors/error-handler';
import { jsonPostListener } from './http/json-post-listener';
import { ApiMetrics } from './http/metrics';
import { requestId } from './http/request-id';
import { RequestTelemetry } from './http/request-telemetry';
import { capturedHeaders } from './http/security-headers';
import { Lifecycle } from './lifecycle/lifecycle';
import type { ModelSource } from './model/model-source';
import { openApiDocument } from './openapi/openapi-document';
import { adminRoutes } from './routes/admin-routes';
import { docsRoutes } from './routes/docs-routes';
import { healthRoutes } from './routes/health-routes';
import { metricsRoutes } from './routes/metrics-routes';
import { inferRoutes, openInferenceRoutes } from './routes/open-inference-routes';
import { predictionRoutes } from './routes/prediction-routes';

export interface AppOptions {
  /** Where the model in service comes from (a ModelHolder). */
  predictorSource: ModelSource;
  config: ApiConfig;
  logger: Logger;
  /** Shared with the shutdown code, which marks it draining; a fresh one by default. */
  lifecycle?: Lifecycle;
  /** Defaults to a new registry with the process metrics. */
  metrics?: ApiMetrics;
}

/**
 * The service as a node:http request listener: wiring only. The prediction routes (POST /predict,
 * /predict/batch, /v2/models/{name}/infer) run on the lean JSON POST path; everything else is an
 * Express 5 app: security headers and CORS, request id, telemetry, the routes, 404 and the error
 * handler.
 */
export function createApp(options: AppOptions): RequestListener {
  const { predictorSource: models, config, logger } = options;
  const lifecycle = options.lifecycle ?? new Lifecycle();
  const metrics = options.metrics ?? new ApiMetrics();
  const telemetry = new RequestTelemetry(logger, metrics);
  metrics.setModel(models.current?.info);
  models.onEvent((event) => {
    metrics.countReload(event.outcome);
    if (event.outcome === 'loaded') metrics.setModel(event.model.info);
  });

  const security = helmet({
    // The service is reached over plain HTTP on loopback or behind a TLS proxy; upgrading the
    // Swagger UI's asset requests to https would break it on http://127.0.0.1.
    contentSecurityPolicy: { directives: { upgradeInsecureRequests: null } },
  });
  const corsMiddleware =
    config.corsOrigins.length > 0
      ? cors({ origin: config.corsOrigins.includes('*') ? '*' : config.corsOrigins, exposedHeaders: ['x-request-id', 'x-model-version'] })
      : undefined;

  const app = express();
  app.disable('x-powered-by');
  // Answers are computed per request: an ETag would only cost a hash of every body.
  app.set('etag', false);
  app.use(security);
  if (corsMiddleware) app.use(corsMiddleware);
  app.use(requestId());
  app.use(telemetry.middleware());
  app.use(healthRoutes({ models, lifecycle }));
  app.use(openInferenceRoutes({ models, lifecycle, modelName: config.modelName }));
  app.use(metricsRoutes(metrics));
  if (config.adminToken !== undefined) app.use(adminRoutes({ models, adminToken: config.adminToken }));
  app.use(docsRoutes(openApiDocument({ maxBatch: config.maxBatch, modelName: config.modelName, adminEnabled: config.adminToken !== undefined })));
  app.use(notFound());
  app.use(errorHandler(logger));

  return jsonPostListener({
    app,
    routes: [
      ...predictionRoutes({ metrics, maxBatch: config.maxBatch }),
      ...inferRoutes({ metrics, modelName: config.modelName, maxBatch: config.maxBatch }),
    ],
    models,
    telemetry,
    logger,
    bodyLimitBytes: config.bodyLimitBytes,
    securityHeaders: capturedHeaders(security),
    cors: corsMiddleware,
  });
}
