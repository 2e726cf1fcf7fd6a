import { randomUUID } from 'node:crypto';
import { STATUS_CODES, type IncomingMessage, type RequestListener, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { ApiError, clip, malformedPath } from '../errors/api-error';
import { errorBodyText, writeError } from '../errors/error-body';
import type { Lifecycle } from '../lifecycle/lifecycle';
import type { ModelLease } from '../model/model-holder';
import type { PostRoute } from './post-route';
import { REQUEST_ID_HEADER, requestIdFor } from './request-id';
import type { RequestTelemetry } from './request-telemetry';
import { MODEL_VERSION_HEADER, servePost, type PostContext } from './serve-post';

type Middleware = (req: IncomingMessage, res: ServerResponse, next: (err?: unknown) => void) => void;

/**
 * The request listener, and the answers given outside any request the listener sees: an
 * `Expect` the service does not meet, and requests Node's parser refuses (malformed HTTP, headers
 * too large, timeouts).
 */
export interface ServiceListener extends RequestListener {
  /** Answers `error` to a request without routing it (417 for an unmet Expect). */
  refuse(req: IncomingMessage, res: ServerResponse, error: ApiError): void;
  /** The server's 'clientError' handler: the answer in the one error shape, then the socket closes. */
  answerClientError(err: NodeJS.ErrnoException, socket: Duplex): void;
}

export interface ServiceListenerOptions {
  /** The Express app: every route, the prediction routes included. */
  app: RequestListener;
  /** The prediction routes, answered on the lean path when `lean` is on. */
  routes: PostRoute[];
  lean: boolean;
  context: PostContext;
  lifecycle: Lifecycle;
  telemetry: RequestTelemetry;
  logger: Logger;
  /** Fixed headers of every answer (helmet's), as [name, value] pairs. */
  securityHeaders: [string, string][];
  /** The CORS middleware, when CORS is configured. */
  cors?: Middleware;
}

/**
 * The service's request listener, and its one error boundary: whatever is thrown while a request
 * is answered becomes an answer in the one error shape (a 4xx for the client's mistakes, a logged
 * 500 for a bug), never a process exit. A path that does not decode is a 400 before any route
 * sees it. Once the service drains, every answer carries `Connection: close`.
 *
 * The prediction routes (POST with a JSON body) can be answered on a lean path over node:http
 * instead of through Express: an Express 5 route that only answers a fixed body serves less than
 * half the requests per second of a bare node:http server (the api bench measures both). The lean
 * path is invisible: it runs the same servePost, the same CORS middleware, the same headers
 * (captured from helmet) and the same error writer, and a differential test asserts identical
 * answers with it on and off.
 */
export function serviceListener(options: ServiceListenerOptions): ServiceListener {
  const { app, routes, lean, context, lifecycle, telemetry, logger, cors } = options;
  const fixedHeaders = options.securityHeaders.flat();
  // Answers on their way: told to close their connection when draining starts.
  const open = new Set<ServerResponse>();
  lifecycle.onDraining(() => {
    for (const res of open) if (!res.headersSent) res.shouldKeepAlive = false;
  });

  /** An error answer written here rather than by Express; returns its status. */
  const answerError = (req: IncomingMessage, res: ServerResponse, err: unknown, path: string, requestId: string, lease?: ModelLease): number => {
    const error = ApiError.answerFor(err, logger, { requestId, method: req.method ?? '', path: clip(path) });
    if (res.headersSent) {
      res.destroy();
      return error.status;
    }
    for (const [name, value] of options.securityHeaders) res.setHeader(name, value);
    res.setHeader(REQUEST_ID_HEADER, requestId);
    if (lease) res.setHeader(MODEL_VERSION_HEADER, lease.model.info.version);
    writeError(res, error, requestId);
    return error.status;
  };

  const answerLean = (req: IncomingMessage, res: ServerResponse, route: PostRoute, params: Record<string, string>, path: string) => {
    const startedAt = performance.now();
    const requestId = requestIdFor(req);
    const finish = (err: unknown, json: string | undefined, lease: ModelLease | undefined) => {
      let status = 200;
      try {
        if (lifecycle.draining) res.shouldKeepAlive = false;
        if (err === undefined && json !== undefined && lease) {
          // One writeHead with every header: no per-header bookkeeping on the hot path.
          const headers = fixedHeaders.slice();
          headers.push(REQUEST_ID_HEADER, requestId, MODEL_VERSION_HEADER, lease.model.info.version);
          headers.push('content-type', 'application/json; charset=utf-8', 'content-length', String(Buffer.byteLength(json)));
          res.writeHead(200, headers);
          res.end(json);
        } else {
          status = answerError(req, res, err, path, requestId, lease);
        }
      } catch (failure) {
        status = answerError(req, res, failure, path, requestId, lease);
      } finally {
        lease?.release();
      }
      telemetry.record({ requestId, method: 'POST', path, route: route.pattern, status, startedAt });
    };
    const run = () => servePost(req, route, params, context, finish);
    if (cors) cors(req, res, (err) => (err ? finish(err, undefined, undefined) : run()));
    else run();
  };

  const dispatch = (req: IncomingMessage, res: ServerResponse, path: string) => {
    if (lean && req.method === 'POST') {
      for (const route of routes) {
        const params = route.match(path);
        if (params) return answerLean(req, res, route, params, path);
      }
    }
    if (lifecycle.draining) res.shouldKeepAlive = false;
    open.add(res);
    res.once('close', () => open.delete(res));
    app(req, res);
  };

  const listener: RequestListener = (req, res) => {
    const path = pathOf(req);
    try {
      if (path.includes('%')) decodeURIComponent(path);
    } catch {
      return outside(req, res, malformedPath(), path);
    }
    try {
      dispatch(req, res, path);
    } catch (err) {
      outside(req, res, err, path);
    }
  };

  const answerClientError = (err: NodeJS.ErrnoException, socket: Duplex) => {
    // Nothing can be answered on a connection that is gone, or whose answer has begun.
    const answering = (socket as Duplex & { _httpMessage?: ServerResponse })._httpMessage;
    if (err.code === 'ECONNRESET' || !socket.writable || answering?.headersSent) {
      socket.destroy();
      return;
    }
    const startedAt = performance.now();
    const error = clientErrorOf(err);
    const requestId = randomUUID();
    const body = errorBodyText(error, requestId);
    const lines = [`HTTP/1.1 ${error.status} ${STATUS_CODES[error.status]}`, 'Connection: close', 'Content-Type: application/json; charset=utf-8'];
    lines.push(`Content-Length: ${Buffer.byteLength(body)}`, `${REQUEST_ID_HEADER}: ${requestId}`);
    for (const [name, value] of options.securityHeaders) lines.push(`${name}: ${value}`);
    socket.end(`${lines.join('\r\n')}\r\n\r\n${body}`);
    telemetry.record({ requestId, method: '', path: '', route: 'unparsed', status: error.status, startedAt });
  };

  return Object.assign(listener, {
    refuse: (req: IncomingMessage, res: ServerResponse, error: ApiError) => outside(req, res, error, pathOf(req)),
    answerClientError,
  });

  /** An answer for a request no route takes: counted and logged like any other. */
  function outside(req: IncomingMessage, res: ServerResponse, err: unknown, path: string): void {
    const startedAt = performance.now();
    const requestId = requestIdFor(req);
    if (lifecycle.draining) res.shouldKeepAlive = false;
    const status = answerError(req, res, err, path, requestId);
    telemetry.record({ requestId, method: req.method ?? '', path: clip(path), route: 'unmatched', status, startedAt });
  }
}

function pathOf(req: IncomingMessage): string {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  return q < 0 ? url : url.slice(0, q);
}

/** What Node's parser refused, as the answer the client gets. */
function clientErrorOf(err: NodeJS.ErrnoException): ApiError {
  switch (err.code) {
    case 'HPE_HEADER_OVERFLOW':
      return new ApiError(431, 'headers_too_large', 'the request headers are larger than the server accepts (MAX_HEADER_BYTES)');
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return new ApiError(408, 'request_timeout', 'the request was not received in time (HEADERS_TIMEOUT_MS for the headers, REQUEST_TIMEOUT_MS for the whole request)');
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return new ApiError(413, 'payload_too_large', 'the chunk extensions of the request body are too large');
    default:
      return new ApiError(400, 'malformed_request', `the request is not valid HTTP/1.1 (${clip(err.code ?? 'parse error', 40)})`);
  }
}
