import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { ApiMetrics } from './metrics';
import { requestIdOf } from './request-id';

/** What is recorded of one answered request. */
export interface AnsweredRequest {
  requestId: string;
  method: string;
  /** The path without the query string. */
  path: string;
  /** The route pattern (`/v2/models/:name/infer`), never the raw path, or "unmatched". */
  route: string;
  status: number;
  /** performance.now() when the request arrived. */
  startedAt: number;
}

/**
 * One log line and one metrics observation per answered request. The line carries the request
 * id, method, path, route, status and duration; never the body or headers, which may hold
 * customer data or credentials. Route patterns, not raw paths, label the metrics: raw paths would
 * make one series per URL anyone cares to send.
 */
export class RequestTelemetry {
  private readonly logs: boolean;

  constructor(
    private readonly logger: Logger,
    private readonly metrics: ApiMetrics,
  ) {
    this.logs = logger.isLevelEnabled('info');
  }

  record(answered: AnsweredRequest): void {
    const seconds = (performance.now() - answered.startedAt) / 1000;
    this.metrics.observeRequest(answered.method, answered.route, answered.status, seconds);
    if (this.logs) {
      this.logger.info(
        {
          request_id: answered.requestId,
          method: answered.method,
          path: answered.path,
          route: answered.route,
          status: answered.status,
          duration_ms: Math.round(seconds * 1e6) / 1e3,
        },
        'request',
      );
    }
  }

  /** For the Express routes: records each request when its answer is finished. */
  middleware(): RequestHandler {
    return (req, res, next) => {
      const startedAt = performance.now();
      res.on('finish', () => {
        this.record({ requestId: requestIdOf(res), method: req.method, path: req.path, route: routeOf(req, res), status: res.statusCode, startedAt });
      });
      next();
    };
  }
}

/** Routes are registered with full paths on routers mounted at `/`, so the pattern alone names the route. */
function routeOf(req: Request, res: Response): string {
  const named = res.locals.route as string | undefined;
  if (named !== undefined) return named;
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? path : 'unmatched';
}
