import type { ModelLease } from '../model/model-holder';

/** A POST route with a JSON body, answered by servePost on the lean path or through Express (see service-listener.ts). */
export interface PostRoute {
  /** The route pattern, as metrics and logs label it and Express matches it. */
  readonly pattern: string;
  /** The path parameters when `path` (no query string) is this route; undefined otherwise. */
  match(path: string): Record<string, string> | undefined;
  /** Checks made before the body is read (a model name that is not served: 404); throws ApiError. */
  precheck?(params: Record<string, string>): void;
  /**
   * The answer, as a JSON string, for a parsed body with the model (and its request contract)
   * leased for the request. Throws ApiError for a client error.
   */
  answer(body: unknown, served: Pick<ModelLease, 'model' | 'contract'>, params: Record<string, string>, startedAt: number): string;
}

/** A route matched by its exact path, case-sensitively and with an optional trailing slash, as the service's Express routers do. */
export function exactPath(path: string): (candidate: string) => Record<string, string> | undefined {
  return (candidate) => {
    const normalized = candidate.length > 1 && candidate.endsWith('/') ? candidate.slice(0, -1) : candidate;
    return normalized === path ? {} : undefined;
  };
}
