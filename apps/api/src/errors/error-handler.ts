import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { requestIdOf } from '../http/request-id';
import { ApiError } from './api-error';
import { writeError } from './error-body';

/** Unknown routes: the same error shape as everything else, not Express's HTML page. */
export function notFound(): RequestHandler {
  return (req, res) => writeError(res, new ApiError(404, 'not_found', `no route for ${req.method} ${req.path}`), requestIdOf(res));
}

/** The last middleware of the Express routes: every error in the one shape, 500 without detail. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err: unknown, req, res, next) => {
    if (res.headersSent) return next(err);
    const requestId = requestIdOf(res);
    writeError(res, ApiError.answerFor(err, logger, { requestId, method: req.method, path: req.path }), requestId);
  };
}
