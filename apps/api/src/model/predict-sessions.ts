import { InvalidRecordError, type Prediction } from '@purchase/inference';
import { ApiError } from '../errors/api-error';
import type { ServedModel, SessionFeatures } from './served-model';

/**
 * Scores sessions that passed the API contract. The bundle's dataset spec checks them again; a
 * spec stricter than the contract (a narrower range, say) is answered as a 422 naming the field in
 * the request (`fieldOf(index, column)`), never as a 500.
 */
export function predictSessions(
  model: ServedModel,
  sessions: readonly SessionFeatures[],
  fieldOf: (index: number, column: string | undefined) => string,
): Prediction[] {
  try {
    return model.predictMany(sessions);
  } catch (err) {
    if (!(err instanceof InvalidRecordError)) throw err;
    throw ApiError.validation(err.errors.map((e) => ({ field: fieldOf(err.index, e.column), rule: e.rule, message: e.message })));
  }
}
