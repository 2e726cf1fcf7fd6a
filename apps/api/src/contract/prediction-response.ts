import type { Prediction } from '@purchase/inference';

/**
 * The answer for one session: the request's id under the contract's id name (`customer_id` for
 * the reference schema; `id` when the spec has no id column and the client sent one), then the
 * prediction. Its class, which documents it in the OpenAPI document and checks real answers in the
 * tests, is built per contract (ServingContract.predictionResponseClass).
 */
export type PredictionResponse = Partial<Prediction> & { [id: string]: string | number | undefined };

export interface BatchPredictionResponse {
  predictions: PredictionResponse[];
  total_customers: number;
  processing_time_seconds: number;
}
