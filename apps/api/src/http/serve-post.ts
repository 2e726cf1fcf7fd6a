import type { IncomingMessage } from 'node:http';
import { ApiError } from '../errors/api-error';
import type { ModelLease } from '../model/model-holder';
import type { ModelSource } from '../model/model-source';
import type { PostRoute } from './post-route';
import { checkJsonHeaders, readJsonBody, type BodyLimits } from './read-json-body';

/** Names the bundle version that answered. */
export const MODEL_VERSION_HEADER = 'x-model-version';

export interface PostContext {
  models: ModelSource;
  limits: BodyLimits;
}

/**
 * Answers a prediction route, whoever carries the request (the lean path or Express): the checks
 * made before the body is read (route precheck: 404; no model: 503; headers: 415/413), the body,
 * then the route's answer. `done` is called once, with the error or the JSON text, and with the
 * model lease when one was taken (the caller names its version in a header and releases it).
 */
export function servePost(
  req: IncomingMessage,
  route: PostRoute,
  params: Record<string, string>,
  context: PostContext,
  done: (err: unknown, json: string | undefined, lease: ModelLease | undefined) => void,
): void {
  const startedAt = performance.now();
  let lease: ModelLease | undefined;
  try {
    route.precheck?.(params);
    lease = context.models.acquire();
    if (!lease) throw ApiError.noModel();
    checkJsonHeaders(req, context.limits);
  } catch (err) {
    return done(err, undefined, lease);
  }
  const leased = lease;
  readJsonBody(req, context.limits, (error, body) => {
    if (error) return done(error, undefined, leased);
    let json: string;
    try {
      json = route.answer(body, leased, params, startedAt);
    } catch (err) {
      return done(err, undefined, leased);
    }
    done(undefined, json, leased);
  });
}
