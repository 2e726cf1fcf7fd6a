import type { RequestHandler, Router } from 'express';
import { apiRouter } from '../http/api-router';
import swaggerUi from 'swagger-ui-express';

/** GET /openapi.json and the Swagger UI at /docs, both from the one generated document. */
export function docsRoutes(document: Record<string, unknown>): Router {
  const router = apiRouter();
  const text = JSON.stringify(document);
  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(text);
  });
  const label: RequestHandler = (_req, res, next) => {
    res.locals.route = '/docs';
    next();
  };
  router.use(
    '/docs',
    label,
    // serveFiles binds the document to this router (setup() alone keeps it in a module global).
    swaggerUi.serveFiles(document),
    // No validator badge: it would fetch an image from validator.swagger.io, which the CSP refuses.
    swaggerUi.setup(document, { customSiteTitle: 'Purchase intent API', swaggerOptions: { validatorUrl: null } }),
  );
  return router;
}
