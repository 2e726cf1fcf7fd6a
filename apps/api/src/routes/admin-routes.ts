import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler, Router } from 'express';
import { apiRouter } from '../http/api-router';
import type { ReloadResponse } from '../contract/admin-response';
import { ApiError } from '../errors/api-error';
import { ModelRefusedError } from '../model/model-holder';
import type { ModelSource } from '../model/model-source';

/**
 * POST /admin/reload: loads the bundle again and swaps it in (the same as SIGHUP). Only mounted
 * when an admin token is configured; the caller must send it as `Authorization: Bearer <token>`.
 * A refused bundle answers 409 and the model in service keeps serving.
 */
export function adminRoutes(deps: { models: ModelSource; adminToken: string }): Router {
  const router = apiRouter();
  router.post('/admin/reload', bearerToken(deps.adminToken), async (_req, res) => {
    try {
      const outcome = await deps.models.reload();
      const body: ReloadResponse = { status: 'reloaded', version: outcome.version, previous_version: outcome.previous_version };
      res.json(body);
    } catch (err) {
      if (err instanceof ModelRefusedError) throw new ApiError(409, 'reload_refused', `${err.message}; the model in service is unchanged`);
      throw err;
    }
  });
  return router;
}

/** Compares digests, so the comparison takes the same time whatever the token sent. */
function bearerToken(expected: string): RequestHandler {
  const digest = (text: string) => createHash('sha256').update(text).digest();
  const wanted = digest(expected);
  return (req, res, next) => {
    // The auth scheme is case-insensitive (RFC 9110 11.1): "bearer" is "Bearer".
    const match = /^Bearer +(\S+) *$/i.exec(req.headers.authorization ?? '');
    if (!match || !timingSafeEqual(digest(match[1]), wanted)) {
      res.setHeader('www-authenticate', 'Bearer');
      return next(new ApiError(401, 'unauthorized', 'POST /admin/reload needs the admin token as "Authorization: Bearer <token>"'));
    }
    next();
  };
}
