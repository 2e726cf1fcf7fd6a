/** Binary log-loss on margins (log-odds), the objective the boosted trees descend. */

/** Hessians are floored here, as XGBoost does, so a saturated row never divides by zero. */
const MIN_HESSIAN = 1e-16;

/**
 * Starts boosting: expNegMargin[r] = exp(-margin[r]) and the gradient pairs gradPairs[2r] = p - y,
 * gradPairs[2r+1] = p(1 - p), with p = sigmoid(margin[r]) = 1 / (1 + exp(-margin[r])).
 */
export function startGradients(margin: Float64Array, y: Uint8Array, expNegMargin: Float64Array, gradPairs: Float32Array): void {
  for (let r = 0; r < margin.length; r++) expNegMargin[r] = Math.exp(-margin[r]);
  gradientsFromExp(expNegMargin, y, gradPairs);
}

/**
 * One boosting step for every row, in row order: margin[r] += value[leafOf[r]], and the gradient
 * pairs at the new margin. exp(-margin) is carried along and multiplied by exp(-value) of the leaf
 * (a handful of exps per tree instead of one per row: Math.exp costs V8 about 20 ns); the products
 * drift from exp(-margin) by about 1e-16 per tree, far below the float32 the gradients are kept in.
 */
export function stepGradients(
  leafOf: Int32Array,
  value: Float64Array,
  margin: Float64Array,
  expNegMargin: Float64Array,
  y: Uint8Array,
  gradPairs: Float32Array,
): void {
  const factor = value.map((v) => Math.exp(-v));
  for (let r = 0; r < margin.length; r++) {
    const leaf = leafOf[r];
    margin[r] += value[leaf];
    expNegMargin[r] *= factor[leaf];
  }
  gradientsFromExp(expNegMargin, y, gradPairs);
}

function gradientsFromExp(expNegMargin: Float64Array, y: Uint8Array, gradPairs: Float32Array): void {
  for (let r = 0, j = 0; r < expNegMargin.length; r++, j += 2) {
    const p = 1 / (1 + expNegMargin[r]);
    const h = p * (1 - p);
    gradPairs[j] = p - y[r];
    gradPairs[j + 1] = h > MIN_HESSIAN ? h : MIN_HESSIAN;
  }
}

/** Mean of -log p(y | margin), computed stably as softplus(m) - y*m. */
export function meanLogLoss(margin: Float64Array, y: Uint8Array): number {
  let sum = 0;
  for (let r = 0; r < margin.length; r++) {
    const m = margin[r];
    sum += Math.max(m, 0) + Math.log1p(Math.exp(-Math.abs(m))) - y[r] * m;
  }
  return sum / margin.length;
}

/** log(p / (1 - p)): the margin of a constant prediction p. */
export function logit(p: number): number {
  return Math.log(p / (1 - p));
}
