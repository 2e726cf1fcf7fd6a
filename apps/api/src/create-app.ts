import cors from 'cors';
import express from 'express';
import helmet from 'helmet';
import type { Logger } from 'pino';
import type { ApiConfig } from './config/api-config';
import { errorHandler, notFound } from './errors/error-handler';
import { expressPostRoutes } from './http/express-post-routes';
import { ApiMetrics } from './http/metrics';
import { requestId } from './http/request-id';
import { RequestTelemetry } from './http/request-telemetry';
import { capturedHeaders } from './http/security-headers';
import { serviceListener, type ServiceListener } from './http/service-listener';
import { Lifecycle } from './lifecycle/lifecycle';
import type { ModelSource } from './model/model-source';
import { openApiDocument } from './openapi/openapi-document';
import { adminRoutes } from './routes/admin-routes';
import { docsRoutes } from './routes/docs-routes';
import { healthRoutes } from './routes/health-routes';
import { metricsRoutes, type MetricsRenderer } from './routes/metrics-routes';
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
  /** What GET /metrics answers; `metrics` by default (with WORKERS, every worker's, aggregated). */
  renderMetrics?: MetricsRenderer;
  /**
   * Whether the prediction routes are answered on the lean POST path (the default) or by Express
   * like every other route. The answers are the same (a differential test holds them so); only
   * the speed differs.
   */
  leanPostPath?: boolean;
}

/**
 * The service as a node:http request listener: wiring only. An Express 5 app holds every route:
 * security headers and CORS, request id, telemetry, the routes, 405/404 and the error handler.
 * In front of it the service listener is the error boundary and, by default, answers the
 * prediction routes (POST /predict, /predict/batch, /v2/models/{name}/infer) on its lean path.
 */
export function createApp(options: AppOptions): ServiceListener {
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
  app.set('case sensitive routing', true);
  app.disable('x-powered-by');
  // Answers are computed per request: an ETag would only cost a hash of every body.
  app.set('etag', false);
  app.use(security);
  if (corsMiddleware) app.use(corsMiddleware);
  app.use(requestId());
  app.use(telemetry.middleware());
  const postRoutes = [
    ...predictionRoutes({ metrics }),
    ...inferRoutes({ metrics, modelName: config.modelName }),
  ];
  const context = { models, limits: { bytes: config.bodyLimitBytes, depth: config.maxJsonDepth } };
  app.use(expressPostRoutes(postRoutes, context));
  app.use(healthRoutes({ models, lifecycle }));
  app.use(openInferenceRoutes({ models, lifecycle, modelName: config.modelName }));
  app.use(metricsRoutes(options.renderMetrics ?? (() => metrics.render())));
  if (config.adminToken !== undefined) app.use(adminRoutes({ models, adminToken: config.adminToken }));
  app.use(docsRoutes({ models, document: (contract) => openApiDocument({ contract, modelName: config.modelName, adminEnabled: config.adminToken !== undefined }) }));
  app.use(notFound(app.router));
  app.use(errorHandler(logger));

  return serviceListener({
    app,
    routes: postRoutes,
    lean: options.leanPostPath ?? true,
    context,
    lifecycle,
    telemetry,
    logger,
    securityHeaders: capturedHeaders(security),
    cors: corsMiddleware,
  });
}
