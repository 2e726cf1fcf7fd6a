import type { ServerResponse } from 'node:http';
import type { ErrorDetail, ErrorResponse } from '../contract/error-response';
import { closeAfterDiscarding } from '../http/lingering-close';
import { receivedBytes } from '../http/read-json-body';
import type { ApiError } from './api-error';

/** The most `details` one error answer lists; the rest are counted in `details_omitted`. */
export const MAX_ERROR_DETAILS = 100;
/** An error answer may always be this large, however small its request. */
const MIN_ERROR_BUDGET = 4096;

/**
 * Writes the one error shape. Every error answer of the service goes through here, from the
 * Express routes and from the prediction routes alike. No answer amplifies its request: `details`
 * stop at MAX_ERROR_DETAILS and at the size of the request body (4 KiB at least).
 */
export function writeError(res: ServerResponse, error: ApiError, requestId: string): void {
  const text = errorBodyText(error, requestId, requestSize(res));
  for (const [name, value] of Object.entries(error.headers)) res.setHeader(name, value);
  if (error.closeConnection) closeAfterDiscarding(res);
  res.statusCode = error.status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  res.setHeader('content-length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The JSON text of the one error shape for `error`, its details cut to MAX_ERROR_DETAILS and to
 * `requestBytes` (4 KiB at least). Also the body of the answers written on a raw socket.
 */
export function errorBodyText(error: ApiError, requestId: string, requestBytes = 0): string {
  const budget = Math.max(MIN_ERROR_BUDGET, requestBytes);
  const body: ErrorResponse = { status: error.status, code: error.code, error: error.message, details: [], request_id: requestId };
  // Room for `"details_omitted":N,` too.
  let used = Buffer.byteLength(JSON.stringify(body)) + 32;
  const details: ErrorDetail[] = body.details;
  for (const detail of error.details) {
    if (details.length === MAX_ERROR_DETAILS) break;
    // A detail's share of the answer: its JSON and a comma.
    const size = Buffer.byteLength(JSON.stringify(detail)) + 1;
    if (used + size > budget) break;
    details.push(detail);
    used += size;
  }
  if (details.length < error.details.length) body.details_omitted = error.details.length - details.length;
  return JSON.stringify(body);
}

/** The request's body size as far as it is known: read so far, or declared. */
function requestSize(res: ServerResponse): number {
  const req = res.req as ServerResponse['req'] | undefined;
  if (!req) return 0;
  const declared = Number(req.headers['content-length']);
  return Math.max(receivedBytes(req), Number.isFinite(declared) ? declared : 0);
}
