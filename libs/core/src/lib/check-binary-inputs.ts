import { checkLabels } from './check-labels';

/** Scores as the models produce them (Float32Array) or as tests and callers compute them (Float64Array). */
export type Scores = Float32Array | Float64Array;

/**
 * Checks the boundary every metric shares: y holds 0/1 labels, scores hold one finite number per
 * label. Throws with the first offending position, so a caller can find the bad row.
 */
export function checkBinaryInputs(y: Uint8Array, scores: Scores): void {
  if (!(scores instanceof Float32Array || scores instanceof Float64Array)) {
    throw new Error('scores must be a Float32Array or a Float64Array');
  }
  checkLabels(y, { onePer: { count: scores.length, of: 'scores', unit: 'values' } });
  if (y.length === 0) throw new Error('y and scores are empty');
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i])) throw new Error(`scores[${i}] is ${scores[i]}, scores must be finite numbers`);
  }
}

/** As checkBinaryInputs, and every score must be a probability: `what` names the metric that needs it. */
export function checkProbabilities(y: Uint8Array, scores: Scores, what: string): void {
  checkBinaryInputs(y, scores);
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < 0 || scores[i] > 1) {
      throw new Error(`scores[${i}] is ${scores[i]}, ${what} needs probabilities in [0, 1]`);
    }
  }
}

/** Number of 1s in y. */
export function countPositives(y: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < y.length; i++) p += y[i];
  return p;
}
