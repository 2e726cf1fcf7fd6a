import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { targetConstructorToSchema } from 'class-validator-jsonschema';
import { ReloadResponse } from '../contract/admin-response';
import { ErrorDetail, ErrorResponse } from '../contract/error-response';
import { DatasetInfo, HealthResponse, ModelInfo } from '../contract/health-response';
import {
  InferenceResponse,
  LiveResponse,
  MetadataTensor,
  ModelMetadataResponse,
  ModelReadyResponse,
  ReadyResponse,
  RequestOutput,
  ResponseOutput,
  ServerMetadataResponse,
} from '../contract/open-inference';
import type { ServingContract } from '../contract/serving-contract';
import { SERVICE } from '../service-identity';

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const REF_PREFIX = '#/components/schemas/';
const ref = (name: string): Schema => ({ $ref: REF_PREFIX + name });
const json = (schema: Schema, description: string): Schema => ({ description, content: { 'application/json': { schema } } });
const errorAnswer = (description: string): Schema => json(ref('ErrorResponse'), description);

/** The error answers every POST route can give, besides its own. */
const BODY_ERRORS = {
  '400': errorAnswer('The body is not valid JSON.'),
  '413': errorAnswer('The body is larger than the configured limit.'),
  '415': errorAnswer('The body is not sent as application/json.'),
  '422': errorAnswer('The body breaks the contract; `details` lists every failing field and rule.'),
  '503': errorAnswer('No model is loaded yet.'),
  '500': errorAnswer('An unexpected failure; logged under the request id, with no detail in the answer.'),
};

/**
 * The OpenAPI 3.1 document of the service for one request contract. Every request and response
 * schema is generated from the classes whose class-validator decorators the service validates
 * with (the contract's, derived from the served bundle's spec, and the fixed ones), so the
 * document cannot drift from the validation. Built once per contract (docs-routes.ts).
 */
export function openApiDocument(options: { contract: ServingContract; modelName: string; adminEnabled: boolean }): Schema {
  const { contract } = options;
  const maxBatch = contract.maxBatch;
  const schemaClasses: Record<string, new () => object> = {
    HealthResponse,
    ModelInfo,
    DatasetInfo,
    ErrorResponse,
    ErrorDetail,
    ReloadResponse,
    RequestOutput,
    InferenceResponse,
    ResponseOutput,
    ModelMetadataResponse,
    MetadataTensor,
    ServerMetadataResponse,
    LiveResponse,
    ReadyResponse,
    ModelReadyResponse,
  };
  const schemas: Record<string, Schema> = { ...contract.openApiSchemas(REF_PREFIX) };
  for (const [name, cls] of Object.entries(schemaClasses)) {
    schemas[name] = targetConstructorToSchema(cls, {
      classTransformerMetadataStorage: defaultMetadataStorage,
      refPointerPrefix: REF_PREFIX,
    }) as Schema;
  }
  // Unknown fields are refused (forbidNonWhitelisted): say so in the request schemas.
  schemas.RequestOutput = { ...schemas.RequestOutput, additionalProperties: false };
  const example = contract.example();
  const sparse = { ...example };
  for (const field of contract.fields) if (field.nullable) sparse[field.name] = null;
  const id = contract.id;
  if (id?.type === 'integer') sparse[id.name] = 43;
  else if (id) sparse[id.name] = 'example-2';
  const tensorExample = {
    id: 'example-1',
    inputs: contract.fields.map((f) => ({ name: f.name, shape: [2], datatype: f.datatype, data: [example[f.name], sparse[f.name]] })),
  };
  const optional = contract.fields.filter((f) => f.nullable).map((f) => f.name);

  const modelParam = { name: 'name', in: 'path', required: true, schema: { type: 'string', example: options.modelName } };
  const paths: Record<string, Record<string, Operation>> = {
    '/health': {
      get: {
        tags: ['reference'],
        summary: 'Service and model status',
        responses: { '200': json(ref('HealthResponse'), 'Status; model_loaded says whether predictions can be served.') },
      },
    },
    '/predict': {
      post: {
        tags: ['reference'],
        summary: 'Score one session',
        requestBody: { required: true, content: { 'application/json': { schema: ref('CustomerSession'), example } } },
        responses: { '200': json(ref('PredictionResponse'), 'The prediction.'), ...BODY_ERRORS },
      },
    },
    '/predict/batch': {
      post: {
        tags: ['reference'],
        summary: `Score 1 to ${maxBatch} sessions`,
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: ref('BatchPredictionRequest'),
              example: { customers: [example, sparse] },
            },
          },
        },
        responses: { '200': json(ref('BatchPredictionResponse'), 'One prediction per session, in order.'), ...BODY_ERRORS },
      },
    },
    '/health/live': {
      get: { tags: ['operations'], summary: 'Liveness probe', responses: { '200': json(ref('LiveResponse'), 'The process is up.') } },
    },
    '/health/ready': {
      get: {
        tags: ['operations'],
        summary: 'Readiness probe',
        responses: {
          '200': json(ref('ReadyResponse'), 'A model is loaded and the service is not shutting down.'),
          '503': json(ref('ReadyResponse'), 'No model yet, or shutting down.'),
        },
      },
    },
    '/metrics': {
      get: {
        tags: ['operations'],
        summary: 'Prometheus metrics',
        responses: { '200': { description: 'Prometheus text format.', content: { 'text/plain': { schema: { type: 'string' } } } } },
      },
    },
    '/v2': {
      get: { tags: ['open inference protocol'], summary: 'Server metadata', responses: { '200': json(ref('ServerMetadataResponse'), 'Server metadata.') } },
    },
    '/v2/health/live': {
      get: { tags: ['open inference protocol'], summary: 'Server live', responses: { '200': json(ref('LiveResponse'), 'Live.') } },
    },
    '/v2/health/ready': {
      get: {
        tags: ['open inference protocol'],
        summary: 'Server ready',
        responses: { '200': json(ref('ReadyResponse'), 'Ready.'), '503': json(ref('ReadyResponse'), 'Not ready.') },
      },
    },
    '/v2/models/{name}': {
      get: {
        tags: ['open inference protocol'],
        summary: 'Model metadata: its input and output tensors',
        parameters: [modelParam],
        responses: {
          '200': json(ref('ModelMetadataResponse'), 'Model metadata.'),
          '404': errorAnswer('No model of that name.'),
          '503': errorAnswer('No model is loaded yet.'),
        },
      },
    },
    '/v2/models/{name}/ready': {
      get: {
        tags: ['open inference protocol'],
        summary: 'Model ready',
        parameters: [modelParam],
        responses: {
          '200': json(ref('ModelReadyResponse'), 'Ready.'),
          '404': errorAnswer('No model of that name.'),
          '503': errorAnswer('No model is loaded yet.'),
        },
      },
    },
    '/v2/models/{name}/infer': {
      post: {
        tags: ['open inference protocol'],
        summary: 'Inference: one tensor per field of the model (INT64 integers, FP64 numbers, BYTES categories, BOOL booleans)',
        parameters: [modelParam],
        requestBody: { required: true, content: { 'application/json': { schema: ref('InferenceRequest'), example: tensorExample } } },
        responses: { '200': json(ref('InferenceResponse'), 'The output tensors.'), '404': errorAnswer('No model of that name.'), ...BODY_ERRORS },
      },
    },
  };
  if (options.adminEnabled) {
    paths['/admin/reload'] = {
      post: {
        tags: ['operations'],
        summary: 'Load the model bundle again and swap it in',
        security: [{ adminToken: [] }],
        responses: {
          '200': json(ref('ReloadResponse'), 'The new bundle is in service.'),
          '401': errorAnswer('Missing or wrong admin token.'),
          '409': errorAnswer('The bundle was refused; the model in service is unchanged.'),
        },
      },
    };
  }

  return {
    openapi: '3.1.0',
    info: {
      title: 'Purchase intent API',
      version: SERVICE.version,
      description:
        `Predicts whether an e-commerce browsing session ends in a purchase, with a model trained on dataset spec "${contract.spec.name}" ` +
        `(target ${contract.spec.target.column}). Every error answer has the ErrorResponse shape. ` +
        (optional.length > 0 ? `${optional.join(', ')} may be null or left out: the model imputes them as it did in training.` : 'Every field is required.'),
    },
    paths,
    components: {
      schemas,
      ...(options.adminEnabled ? { securitySchemes: { adminToken: { type: 'http', scheme: 'bearer' } } } : {}),
    },
  };
}
