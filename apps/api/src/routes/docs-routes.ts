import type { Request, RequestHandler, Router } from 'express';
import swaggerUi from 'swagger-ui-express';
import type { ServingContract } from '../contract/serving-contract';
import { ApiError } from '../errors/api-error';
import { apiRouter } from '../http/api-router';
import type { ModelSource } from '../model/model-source';

type Document = Record<string, unknown>;

/**
 * GET /openapi.json and the Swagger UI at /docs, both from the document of the request contract in
 * service: a reload that changes the contract (ALLOW_SCHEMA_CHANGE) changes them with it. Each
 * contract's document is generated once. Without a model there is no contract yet: 503.
 */
export function docsRoutes(deps: { models: ModelSource; document: (contract: ServingContract) => Document }): Router {
  const router = apiRouter();
  const documents = new WeakMap<ServingContract, { document: Document; text: string }>();
  const current = (): { document: Document; text: string } => {
    const contract = deps.models.contract;
    if (!contract) throw ApiError.noModel();
    let entry = documents.get(contract);
    if (!entry) {
      const document = deps.document(contract);
      documents.set(contract, (entry = { document, text: JSON.stringify(document) }));
    }
    return entry;
  };

  router.get('/openapi.json', (_req, res) => {
    res.type('application/json').send(current().text);
  });
  const withDocument: RequestHandler = (req, res, next) => {
    res.locals.route = '/docs';
    // swagger-ui-express renders the page and its init script from req.swaggerDoc when set.
    (req as Request & { swaggerDoc?: Document }).swaggerDoc = current().document;
    next();
  };
  router.use(
    '/docs',
    withDocument,
    swaggerUi.serveFiles(undefined),
    // No validator badge: it would fetch an image from validator.swagger.io, which the CSP refuses.
    swaggerUi.setup(undefined, { customSiteTitle: 'Purchase intent API', swaggerOptions: { validatorUrl: null } }),
  );
  return router;
}
