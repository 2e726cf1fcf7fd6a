/** Scores as the models produce them (Float32Array) or as tests and callers compute them (Float64Array). */
export type Scores = Float32Array | Float64Array;

/**
 * Checks the boundary every metric shares: y holds 0/1 labels, scores hold one finite number per
 * label. Throws with the first offending position, so a caller can find the bad row.
 */
export function validateBinaryInputs(y: Uint8Array, scores: Scores): void {
  if (!(y instanceof Uint8Array)) throw new Error('y must be a Uint8Array of 0/1 labels');
  if (!(scores instanceof Float32Array || scores instanceof Float64Array)) {
    throw new Error('scores must be a Float32Array or a Float64Array');
  }
  if (y.length !== scores.length) {
    throw new Error(`y and scores must have the same length (y has ${y.length}, scores has ${scores.length})`);
  }
  if (y.length === 0) throw new Error('y and scores are empty');
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new Error(`y[${i}] is ${y[i]}; labels must be 0 or 1`);
    if (!Number.isFinite(scores[i])) throw new Error(`scores[${i}] is ${scores[i]}; scores must be finite numbers`);
  }
}

/** As validateBinaryInputs, and every score must be a probability: `what` names the metric that needs it. */
export function validateProbabilities(y: Uint8Array, scores: Scores, what: string): void {
  validateBinaryInputs(y, scores);
  for (let i = 0; i < scores.length; i++) {
    if (scores[i] < 0 || scores[i] > 1) {
      throw new Error(`scores[${i}] is ${scores[i]}; ${what} needs probabilities in [0, 1]`);
    }
  }
}

/** Number of 1s in y. */
export function countPositives(y: Uint8Array): number {
  let p = 0;
  for (let i = 0; i < y.length; i++) p += y[i];
  return p;
}
