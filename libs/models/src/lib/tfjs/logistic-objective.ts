import type { Matrix } from '../model';
import type { Objective } from './lbfgs';

/**
 * scikit-learn's LogisticRegression objective, C * sum(log loss) + ||w||^2 / 2, divided by C * n so
 * that its scale does not grow with the data (same minimiser): mean log loss + ||w||^2 / (2 C n).
 * Parameters are [w_0 .. w_{cols-1}, b]; the intercept b is not penalised, as in scikit-learn.
 * Sums run in float64 over the float32 matrix.
 */
export function penalisedLogLoss(X: Matrix, y: Uint8Array, C: number, fitIntercept: boolean): Objective {
  const { data, rows, cols } = X;
  const penalty = 1 / (C * rows);
  return (theta, gradient) => {
    gradient.fill(0);
    const b = fitIntercept ? theta[cols] : 0;
    let loss = 0;
    for (let r = 0, offset = 0; r < rows; r++, offset += cols) {
      let z = b;
      for (let c = 0; c < cols; c++) z += data[offset + c] * theta[c];
      const e = Math.exp(-Math.abs(z));
      loss += Math.max(z, 0) + Math.log1p(e) - y[r] * z;
      const residual = (z >= 0 ? 1 / (1 + e) : e / (1 + e)) - y[r];
      for (let c = 0; c < cols; c++) gradient[c] += residual * data[offset + c];
      gradient[cols] += residual;
    }
    let squares = 0;
    for (let c = 0; c < cols; c++) {
      squares += theta[c] * theta[c];
      gradient[c] = gradient[c] / rows + penalty * theta[c];
    }
    gradient[cols] = fitIntercept ? gradient[cols] / rows : 0;
    return loss / rows + 0.5 * penalty * squares;
  };
}

/** Mean log loss of a linear model [w, b] on (X, y), unpenalised. */
export function meanLogLoss(X: Matrix, y: Uint8Array, theta: Float64Array): number {
  const { data, rows, cols } = X;
  let loss = 0;
  for (let r = 0, offset = 0; r < rows; r++, offset += cols) {
    let z = theta[cols];
    for (let c = 0; c < cols; c++) z += data[offset + c] * theta[c];
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[r] * z;
  }
  return loss / rows;
}
