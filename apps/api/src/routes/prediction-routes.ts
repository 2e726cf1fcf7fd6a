import type { Prediction } from '@purchase/inference';
import type { BatchPredictionResponse, PredictionResponse } from '../contract/prediction-response';
import type { ServingContract } from '../contract/serving-contract';
import { ApiError } from '../errors/api-error';
import type { ApiMetrics } from '../http/metrics';
import { exactPath, type PostRoute } from '../http/post-route';

type Session = Record<string, unknown>;

/**
 * The reference contract: POST /predict and POST /predict/batch, for whatever schema the bundle
 * in service was trained on. The body is checked once, by the contract derived from the bundle's
 * spec; the model then scores the checked rows.
 */
export function predictionRoutes(deps: { metrics: ApiMetrics }): PostRoute[] {
  const { metrics } = deps;

  const predict: PostRoute = {
    pattern: '/predict',
    match: exactPath('/predict'),
    answer(body, { model, contract }) {
      const issues = contract.single.check(body);
      if (issues.length > 0) throw ApiError.validation(issues);
      const session = body as Session;
      const [prediction] = model.predictChecked([session as never]);
      metrics.countPredictions(model.info.version, [prediction]);
      return JSON.stringify(answer(contract, session, prediction));
    },
  };

  const predictBatch: PostRoute = {
    pattern: '/predict/batch',
    match: exactPath('/predict/batch'),
    answer(body, { model, contract }, _params, startedAt) {
      const issues = contract.batch.check(body);
      if (issues.length > 0) throw ApiError.validation(issues);
      const { customers } = body as { customers: Session[] };
      const predictions = model.predictChecked(customers as never[]);
      metrics.countPredictions(model.info.version, predictions);
      const answers: PredictionResponse[] = new Array(customers.length);
      for (let i = 0; i < customers.length; i++) answers[i] = answer(contract, customers[i], predictions[i]);
      const response: BatchPredictionResponse = {
        predictions: answers,
        total_customers: customers.length,
        processing_time_seconds: (performance.now() - startedAt) / 1000,
      };
      return JSON.stringify(response);
    },
  };

  return [predict, predictBatch];
}

/** The answer for one session: its id under the contract's id name (when it has one), then the prediction. */
function answer(contract: ServingContract, session: Session, p: Prediction): PredictionResponse {
  const response: PredictionResponse = {};
  const id = contract.id;
  if (id && session[id.name] !== undefined && session[id.name] !== null) response[id.name] = session[id.name] as string | number;
  response.purchase_prediction = p.purchase_prediction;
  response.purchase_probability = p.purchase_probability;
  response.prediction_confidence = p.prediction_confidence;
  return response;
}
