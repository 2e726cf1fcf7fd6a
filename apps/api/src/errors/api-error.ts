import type { Logger } from 'pino';
import type { ValidationIssue } from '../validation/compile-validator';

/**
 * An error the client can act on, answered with its status in the one error shape (ErrorResponse).
 * Anything else thrown while answering becomes a 500 whose body says nothing about the cause.
 */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ValidationIssue[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** 422 naming the first problem in the message and every problem in `details`. */
  static validation(issues: ValidationIssue[]): ApiError {
    const [first] = issues;
    const more = issues.length > 1 ? ` (and ${issues.length - 1} more problem(s), see details)` : '';
    return new ApiError(422, 'validation_failed', `${first.field || 'body'}: ${first.message}${more}`, issues);
  }

  static noModel(): ApiError {
    return new ApiError(503, 'model_not_loaded', 'no model is loaded yet; retry when /health/ready answers 200');
  }

  /**
   * The ApiError to answer for anything thrown: itself, or a bare 500 after logging the cause
   * with its stack under the request id.
   */
  static answerFor(err: unknown, logger: Logger, request: { requestId: string; method: string; path: string }): ApiError {
    if (err instanceof ApiError) return err;
    logger.error({ err, request_id: request.requestId, method: request.method, path: request.path }, 'unhandled error');
    return new ApiError(500, 'internal_error', 'the server failed to answer this request; the error is logged under this request_id');
  }
}
