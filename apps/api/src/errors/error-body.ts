import type { ServerResponse } from 'node:http';
import type { ErrorResponse } from '../contract/error-response';
import type { ApiError } from './api-error';

/**
 * Writes the one error shape. Every error answer of the service goes through here, from the
 * Express routes and from the prediction routes alike.
 */
export function writeError(res: ServerResponse, error: ApiError, requestId: string): void {
  const body: ErrorResponse = { status: error.status, code: error.code, error: error.message, details: error.details, request_id: requestId };
  const text = JSON.stringify(body);
  res.statusCode = error.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}
