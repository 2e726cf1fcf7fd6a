import type { Request, RequestHandler, Router } from 'express';
import { apiRouter } from '../http/api-router';
import {
  INFER_OUTPUTS,
  INFER_OUTPUT_NAMES,
  type InferenceRequestBody,
  type InferenceResponse,
  type MetadataTensor,
  type ModelMetadataResponse,
  type ModelReadyResponse,
  type ResponseOutput,
  type ServerMetadataResponse,
} from '../contract/open-inference';
import { ApiError, clip, RETRY_AFTER_SECONDS } from '../errors/api-error';
import type { PostRoute } from '../http/post-route';
import type { ApiMetrics } from '../http/metrics';
import type { Lifecycle } from '../lifecycle/lifecycle';
import type { ModelSource } from '../model/model-source';
import type { ServedModel } from '../model/served-model';
import { decodeInferRequest } from '../open-inference/decode-infer-request';
import { SERVICE } from '../service-identity';

/**
 * The Open Inference Protocol (KServe V2) REST routes: server metadata, model readiness and model
 * metadata here; the server probes are in health-routes.ts and inference (inferRoutes) runs on
 * the lean POST path. `/versions/{version}` forms are accepted for the version in service.
 */
export function openInferenceRoutes(deps: { models: ModelSource; lifecycle: Lifecycle; modelName: string }): Router {
  const { models, lifecycle, modelName } = deps;
  const router = apiRouter();

  /** The model in service, when the path names it; 404 or 503 otherwise. */
  const namedModel = (req: Request): ServedModel => {
    const model = models.current;
    checkModelName(req.params as Record<string, string>, modelName, model);
    if (!model) throw ApiError.noModel();
    return model;
  };

  router.get('/v2', (_req, res) => {
    const body: ServerMetadataResponse = { name: SERVICE.name, version: SERVICE.version, extensions: [] };
    res.json(body);
  });

  // Not ready (no model yet, or draining): 503 with the same body, as KServe answers.
  const modelReady: RequestHandler = (req, res) => {
    const model = models.current;
    checkModelName(req.params as Record<string, string>, modelName, model);
    const ready = model !== undefined && !lifecycle.draining;
    if (!ready) res.setHeader('retry-after', String(RETRY_AFTER_SECONDS));
    const body: ModelReadyResponse = { name: modelName, ready };
    res.status(ready ? 200 : 503).json(body);
  };

  // The input tensors are those of the contract of the model in service (built with it).
  const outputs: MetadataTensor[] = INFER_OUTPUT_NAMES.map((name) => ({ name, datatype: INFER_OUTPUTS[name], shape: [-1] }));
  const modelMetadata: RequestHandler = (req, res) => {
    const model = namedModel(req);
    const contract = models.contract;
    if (!contract) throw ApiError.noModel();
    const body: ModelMetadataResponse = {
      name: modelName,
      versions: [model.info.version],
      platform: `purchase-bundle/${model.info.model_type}`,
      inputs: [...contract.inputTensors],
      outputs,
    };
    res.json(body);
  };

  // Each path registered on its own, so that the route label of the metrics is a single pattern.
  for (const base of ['/v2/models/:name', '/v2/models/:name/versions/:version']) {
    router.get(base, modelMetadata);
    router.get(`${base}/ready`, modelReady);
  }
  return router;
}

/** POST /v2/models/{name}[/versions/{version}]/infer: one tensor per field of the contract in, one per output out. */
export function inferRoutes(deps: { metrics: ApiMetrics; modelName: string }): PostRoute[] {
  const { metrics, modelName } = deps;

  const route = (pattern: string, path: RegExp): PostRoute => ({
    pattern,
    match(candidate) {
      const m = path.exec(candidate);
      if (!m) return undefined;
      const params: Record<string, string> = { name: decodeURIComponent(m[1]) };
      if (m[2] !== undefined) params.version = decodeURIComponent(m[2]);
      return params;
    },
    precheck: (params) => checkModelName(params, modelName, undefined),
    answer(body, { model, contract }, params) {
      checkModelName(params, modelName, model);
      const issues = contract.infer.check(body);
      if (issues.length > 0) throw ApiError.validation(issues);
      const inferRequest = body as InferenceRequestBody;
      const { sessions, outputs } = decodeInferRequest(inferRequest, contract);
      const predictions = model.predictChecked(sessions);
      metrics.countPredictions(model.info.version, predictions);

      const n = predictions.length;
      const tensors: ResponseOutput[] = outputs.map((name) => {
        const data: (number | string)[] = new Array(n);
        for (let i = 0; i < n; i++) data[i] = predictions[i][name];
        return { name, datatype: INFER_OUTPUTS[name], shape: [n], data };
      });
      const response: InferenceResponse = { model_name: modelName, model_version: model.info.version, outputs: tensors };
      if (inferRequest.id !== undefined) response.id = inferRequest.id;
      return JSON.stringify(response);
    },
  });
  return [
    route('/v2/models/:name/infer', /^\/v2\/models\/([^/]+)\/infer\/?$/),
    route('/v2/models/:name/versions/:version/infer', /^\/v2\/models\/([^/]+)\/versions\/([^/]+)\/infer\/?$/),
  ];
}

/** 404 unless the path names the model served (and its version, when it names one and the model is known). */
function checkModelName(params: Record<string, string>, modelName: string, model: ServedModel | undefined): void {
  const { name, version } = params;
  if (name !== modelName) throw new ApiError(404, 'model_not_found', `model ${clip(name)} is not served here; this server serves ${modelName}`);
  if (model && version !== undefined && version !== model.info.version) {
    throw new ApiError(404, 'model_version_not_found', `version ${clip(version)} of ${name} is not loaded; version ${model.info.version} is`);
  }
}
