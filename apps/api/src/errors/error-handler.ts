import type { ErrorRequestHandler, RequestHandler, Router } from 'express';
import type { Logger } from 'pino';
import { allowedMethods } from '../http/api-router';
import { requestIdOf } from '../http/request-id';
import { ApiError, clip } from './api-error';
import { writeError } from './error-body';

/**
 * Requests no route answered: 405 with an Allow header when the path has routes for other
 * methods, 404 otherwise; the one error shape either way, not Express's HTML page.
 */
export function notFound(router: Router): RequestHandler {
  return (req, res) => {
    const allowed = allowedMethods(router.stack as unknown as Parameters<typeof allowedMethods>[0], req.path);
    const path = clip(req.path);
    if (allowed.length > 0) {
      const message = `${req.method} is not allowed on ${path}; it answers ${allowed.join(', ')}`;
      return writeError(res, new ApiError(405, 'method_not_allowed', message, [], { headers: { allow: allowed.join(', ') } }), requestIdOf(res));
    }
    writeError(res, new ApiError(404, 'not_found', `no route for ${clip(req.method, 20)} ${path}`), requestIdOf(res));
  };
}

/** The last middleware of the Express routes: every error in the one shape, 500 without detail. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = requestIdOf(res);
    writeError(res, ApiError.answerFor(err, logger, { requestId, method: req.method, path: clip(req.path) }), requestId);
  };
}
