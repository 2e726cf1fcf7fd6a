import type { Prediction } from '@purchase/inference';
import { batchPredictionRequestClass, type BatchPredictionRequest } from '../contract/batch-prediction-request';
import { CustomerSession } from '../contract/customer-session';
import type { BatchPredictionResponse, PredictionResponse } from '../contract/prediction-response';
import { ApiError } from '../errors/api-error';
import type { ApiMetrics } from '../http/metrics';
import { exactPath, type PostRoute } from '../http/post-route';
import { predictSessions } from '../model/predict-sessions';
import { compileValidator } from '../validation/compile-validator';

/** The reference contract: POST /predict and POST /predict/batch. */
export function predictionRoutes(deps: { metrics: ApiMetrics; maxBatch: number }): PostRoute[] {
  const { metrics } = deps;
  const single = compileValidator(CustomerSession);
  const batch = compileValidator(batchPredictionRequestClass(deps.maxBatch));

  const predict: PostRoute = {
    pattern: '/predict',
    match: exactPath('/predict'),
    answer(body, model) {
      const issues = single.check(body);
      if (issues.length > 0) throw ApiError.validation(issues);
      const session = body as CustomerSession;
      const [prediction] = predictSessions(model, [session], (_i, column) => column ?? '');
      metrics.countPredictions(model.info.version, [prediction]);
      return JSON.stringify(answer(session.customer_id, prediction));
    },
  };

  const predictBatch: PostRoute = {
    pattern: '/predict/batch',
    match: exactPath('/predict/batch'),
    answer(body, model, _params, startedAt) {
      const issues = batch.check(body);
      if (issues.length > 0) throw ApiError.validation(issues);
      const { customers } = body as BatchPredictionRequest;
      const predictions = predictSessions(model, customers, (i, column) => `customers[${i}]${column ? `.${column}` : ''}`);
      metrics.countPredictions(model.info.version, predictions);
      const answers: PredictionResponse[] = new Array(customers.length);
      for (let i = 0; i < customers.length; i++) answers[i] = answer(customers[i].customer_id, predictions[i]);
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

function answer(customerId: number, p: Prediction): PredictionResponse {
  return {
    customer_id: customerId,
    purchase_prediction: p.purchase_prediction,
    purchase_probability: p.purchase_probability,
    prediction_confidence: p.prediction_confidence,
  };
}
