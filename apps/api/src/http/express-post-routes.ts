import type { Router } from 'express';
import { apiRouter } from './api-router';
import type { PostRoute } from './post-route';
import { MODEL_VERSION_HEADER, servePost, type PostContext } from './serve-post';

/**
 * The prediction routes as Express routes: the same servePost as the lean path, with the answer
 * written through Express and errors passed to its error handler. Express answers them when the
 * lean path is off, and always knows them (405 for GET /predict names POST in Allow).
 */
export function expressPostRoutes(routes: PostRoute[], context: PostContext): Router {
  const router = apiRouter();
  for (const route of routes) {
    router.post(route.pattern, (req, res, next) => {
      servePost(req, route, req.params as Record<string, string>, context, (err, json, lease) => {
        try {
          if (lease) res.setHeader(MODEL_VERSION_HEADER, lease.model.info.version);
          if (err !== undefined || json === undefined) return next(err);
          res.setHeader('content-type', 'application/json; charset=utf-8');
          res.setHeader('content-length', Buffer.byteLength(json));
          res.end(json);
        } catch (failure) {
          next(failure);
        } finally {
          lease?.release();
        }
      });
    });
  }
  return router;
}
