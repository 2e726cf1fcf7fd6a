import type { Matrix } from '../model';
import type { Objective } from './minimize';
import type { Hessian } from './newton';

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

/** At most this many rows (every k-th) enter the Hessian: enough for its direction, and under half a gradient pass at 700k x 16. */
export const HESSIAN_ROWS = 65_536;

/**
 * The Hessian of penalisedLogLoss, X~^T diag(p (1 - p)) X~ / n + diag(1 / (C n)) with X~ = [X, 1],
 * from every k-th row when X has more than `maxRows` rows (a sub-sampled Newton method: the exact
 * gradient decides the optimum, the Hessian only the direction). Without fitIntercept the
 * intercept's row and column are those of the identity, so Newton leaves it at 0.
 */
export function penalisedLogLossHessian(X: Matrix, C: number, fitIntercept: boolean, maxRows = HESSIAN_ROWS): Hessian {
  const { data, rows, cols } = X;
  const n = cols + 1;
  const stride = Math.max(1, Math.ceil(rows / maxRows));
  const sampled = Math.ceil(rows / stride);
  const penalty = 1 / (C * rows);
  return (theta, H) => {
    H.fill(0);
    const b = fitIntercept ? theta[cols] : 0;
    for (let r = 0; r < rows; r += stride) {
      const offset = r * cols;
      let z = b;
      for (let c = 0; c < cols; c++) z += data[offset + c] * theta[c];
      const p = 1 / (1 + Math.exp(-z));
      const weight = p * (1 - p);
      // Upper triangle; one-hot zeros skip their whole row of it.
      for (let i = 0; i < cols; i++) {
        const wi = weight * data[offset + i];
        if (wi === 0) continue;
        const at = i * n;
        for (let j = i; j < cols; j++) H[at + j] += wi * data[offset + j];
        H[at + cols] += wi;
      }
      H[cols * n + cols] += weight;
    }
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        const v = H[i * n + j] / sampled + (i === j && i < cols ? penalty : 0);
        H[i * n + j] = v;
        H[j * n + i] = v;
      }
    }
    if (!fitIntercept) {
      for (let i = 0; i < n; i++) H[i * n + cols] = H[cols * n + i] = 0;
      H[cols * n + cols] = 1;
    }
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
