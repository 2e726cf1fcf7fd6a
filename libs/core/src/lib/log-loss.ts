import { checkProbabilities, type Scores } from './check-binary-inputs';

/**
 * Probabilities are clipped to [eps, 1 - eps] before the log, with eps = 2^-52 (float64 machine
 * epsilon), exactly what scikit-learn's `log_loss` does for float64 input (`eps="auto"`, the only
 * behaviour since 1.5). A confident wrong answer costs at most -ln(2^-52) ~ 36.04 nats, not Infinity.
 */
export const LOG_LOSS_EPS = Number.EPSILON;

/** Mean negative log-likelihood of the labels, in nats. */
export function logLoss(y: Uint8Array, scores: Scores): number {
  checkProbabilities(y, scores, 'log loss');
  let sum = 0;
  for (let i = 0; i < y.length; i++) {
    const p = Math.min(Math.max(scores[i], LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    sum -= y[i] === 1 ? Math.log(p) : Math.log(1 - p);
  }
  return sum / y.length;
}
