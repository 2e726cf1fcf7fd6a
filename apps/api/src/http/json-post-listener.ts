import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { ApiError } from '../errors/api-error';
import { writeError } from '../errors/error-body';
import type { ModelLease } from '../model/model-holder';
import type { ModelSource } from '../model/model-source';
import type { PostRoute } from './post-route';
import { checkJsonHeaders, readJsonBody } from './read-json-body';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import type { RequestTelemetry } from './request-telemetry';

/** Names the bundle version that answered. */
export const MODEL_VERSION_HEADER = 'x-model-version';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The service's request listener. The prediction routes (POST with a JSON body) are answered on a
 * lean path over node:http; every other request goes to the Express app. An Express 5 route that
 * only answers a fixed body serves less than half the requests per second of a bare node:http
 * server (the api bench measures both), and /predict is wanted at half the bare rate at least.
 *
 * The lean path keeps every behaviour of the Express routes: request id, the same security
 * headers (captured from helmet), CORS through the same middleware, telemetry, 503 before the
 * body is read when no model is loaded, 413/415/400/422 in the one error shape, and a 500 that
 * logs the cause and tells the client nothing. The model is leased when the request arrives.
 */
export function jsonPostListener(deps: {
  app: RequestListener;
  routes: PostRoute[];
  models: ModelSource;
  telemetry: RequestTelemetry;
  logger: Logger;
  bodyLimitBytes: number;
  /** Fixed headers of every answer (helmet's), as [name, value] pairs. */
  securityHeaders: [string, string][];
  /** The CORS middleware, when CORS is configured. */
  cors?: Middleware;
}): RequestListener {
  const { app, routes, models, telemetry, logger, bodyLimitBytes, cors } = deps;
  const fixedHeaders = deps.securityHeaders.flat();

  const answer = (req: IncomingMessage, res: ServerResponse, route: PostRoute, params: Record<string, string>, path: string) => {
    const startedAt = performance.now();
    const requestId = requestIdFor(req);
    let lease: ModelLease | undefined;

    const finish = (err: unknown, json?: string) => {
      let status = 200;
      if (err === undefined && json !== undefined) {
        // One writeHead with every header: no per-header bookkeeping on the hot path.
        const headers = fixedHeaders.slice();
        headers.push(REQUEST_ID_HEADER, requestId, MODEL_VERSION_HEADER, (lease as ModelLease).model.info.version);
        headers.push('content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json)));
        res.writeHead(200, headers);
        res.end(json);
      } else {
        const error = ApiError.answerFor(err, logger, { requestId, method: 'POST', path });
        status = error.status;
        for (const [name, value] of deps.securityHeaders) res.setHeader(name, value);
        res.setHeader(REQUEST_ID_HEADER, requestId);
        if (lease) res.setHeader(MODEL_VERSION_HEADER, lease.model.info.version);
        writeError(res, error, requestId);
      }
      lease?.release();
      telemetry.record({ requestId, method: 'POST', path, route: route.pattern, status, startedAt });
    };

    const start = () => {
      try {
        route.precheck?.(params);
        lease = models.acquire();
        if (!lease) throw ApiError.noModel();
        checkJsonHeaders(req, bodyLimitBytes);
      } catch (err) {
        return finish(err);
      }
      readJsonBody(req, bodyLimitBytes, (error, body) => {
        if (error) return finish(error);
        let json: string;
        try {
          json = route.answer(body, (lease as ModelLease).model, params, startedAt);
        } catch (err) {
          return finish(err);
        }
        finish(undefined, json);
      });
    };

    if (cors) cors(req, res, (err) => (err ? finish(err) : start()));
    else start();
  };

  return (req, res) => {
    if (req.method === 'POST') {
      const url = req.url ?? '/';
      const q = url.indexOf('?');
      const path = q < 0 ? url : url.slice(0, q);
      for (const route of routes) {
        const params = route.match(path);
        if (params) {
          answer(req, res, route, params, path);
          return;
        }
      }
    }
    app(req, res);
  };
}
