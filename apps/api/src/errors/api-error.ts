import type { Logger } from 'pino';
import type { ValidationIssue } from '../validation/compile-validator';

/** Seconds a client is told to wait (Retry-After) before trying a 503'd request again. */
export const RETRY_AFTER_SECONDS = 5;

/** Extra headers and connection handling of one error answer. */
export interface ApiErrorOptions {
  headers?: Record<string, string>;
  /**
   * The answer ends the connection (`Connection: close`) after discarding what is left of the
   * request body: a 413 whose body the client is still sending.
   */
  closeConnection?: boolean;
}

/**
 * An error the client can act on, answered with its status in the one error shape (ErrorResponse).
 * Anything else thrown while answering becomes a 500 whose body says nothing about the cause.
 */
export class ApiError extends Error {
  readonly headers: Record<string, string>;
  readonly closeConnection: boolean;

  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ValidationIssue[] = [],
    options: ApiErrorOptions = {},
  ) {
    super(message);
    this.name = 'ApiError';
    this.headers = options.headers ?? {};
    this.closeConnection = options.closeConnection ?? false;
  }

  /** 422 naming the first problem in the message and every problem in `details`. */
  static validation(issues: ValidationIssue[]): ApiError {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s), see details)` : '';
    return new ApiError(422, 'validation_failed', `${first.field || 'body'}: ${first.message}${more}`, issues);
  }

  static noModel(): ApiError {
    return new ApiError(503, 'model_not_loaded', 'no model is loaded yet; retry when /health/ready answers 200', [], {
      headers: { 'retry-after': String(RETRY_AFTER_SECONDS) },
    });
  }

  /**
   * The ApiError to answer for anything thrown: itself; a 4xx for the client errors of the
   * libraries under the routes (a malformed percent-escape in a path parameter, an http-errors
   * error with a 4xx status); otherwise a bare 500 after logging the cause with its stack under
   * the request id.
   */
  static answerFor(err: unknown, logger: Logger, request: { requestId: string; method: string; path: string }): ApiError {
    if (err instanceof ApiError) return err;
    const clientError = asClientError(err);
    if (clientError) return clientError;
    logger.error({ err, request_id: request.requestId, method: request.method, path: request.path }, 'unhandled error');
    return new ApiError(500, 'internal_error', 'the server failed to answer this request; the error is logged under this request_id');
  }
}

/** A request path that does not decode: a malformed percent-escape or bytes that are not UTF-8. */
export function malformedPath(): ApiError {
  return new ApiError(400, 'malformed_path', 'the request path is not a valid URL path: a percent-escape is malformed or does not decode to UTF-8');
}

function asClientError(err: unknown): ApiError | undefined {
  if (err instanceof URIError) return malformedPath();
  if (typeof err !== 'object' || err === null) return undefined;
  const { status, statusCode, expose, message } = err as { status?: unknown; statusCode?: unknown; expose?: unknown; message?: unknown };
  const code = typeof status === 'number' ? status : statusCode;
  if (typeof code !== 'number' || code < 400 || code > 499 || !Number.isInteger(code)) return undefined;
  // http-errors marks the messages that are safe to show; others are replaced by a generic one.
  const text = expose === true && typeof message === 'string' ? clip(message) : 'the request could not be understood';
  return new ApiError(code, 'bad_request', text);
}

/** At most `max` characters of client-supplied text inside an error message, so answers stay small. */
export function clip(text: string, max = 120): string {
  return text.length <= max ? text : `${text.slice(0, max)}... (${text.length} characters)`;
}
