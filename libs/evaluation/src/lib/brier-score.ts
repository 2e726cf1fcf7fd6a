import { checkProbabilities, type Scores } from '@purchase/core';

/** Mean squared difference between the predicted probability and the 0/1 label. */
export function brierScore(y: Uint8Array, scores: Scores): number {
  checkProbabilities(y, scores, 'the Brier score');
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const d = scores[i] - y[i];
    sum += d * d;
  }
  return sum / y.length;
}
