import { checkBinaryInputs, countPositives, logLoss, LOG_LOSS_EPS, stratifiedFolds, type Scores } from '@purchase/core';

/**
 * Probability calibration: a monotone map from a model's probabilities to calibrated ones, fitted
 * on held-out predictions (validation or out-of-fold), saved in the bundle and applied at serving.
 * `platt`: sigmoid(a * logit(p) + b), fitted by Newton's method on the log loss with Platt's
 * target smoothing. `isotonic`: the pool-adjacent-violators fit, a step function interpolated
 * linearly between the steps' centres and clipped to [eps, 1 - eps], as scikit-learn's
 * IsotonicRegression(out_of_bounds='clip'). `none`: the identity.
 */
export type CalibrationMap =
  | { method: 'none' }
  | { method: 'platt'; a: number; b: number }
  | { method: 'isotonic'; x: number[]; y: number[] };

export type CalibrationMethod = CalibrationMap['method'];
export const CALIBRATION_METHODS: readonly CalibrationMethod[] = ['none', 'platt', 'isotonic'];

/** Probabilities are kept inside (0, 1): a calibrated 0 or 1 would make the log loss infinite. */
const EPS = 1e-6;

export function applyCalibration(map: CalibrationMap, p: ArrayLike<number>): Float64Array {
  const out = new Float64Array(p.length);
  switch (map.method) {
    case 'none':
      for (let i = 0; i < p.length; i++) out[i] = p[i];
      return out;
    case 'platt':
      for (let i = 0; i < p.length; i++) out[i] = sigmoid(map.a * logit(p[i]) + map.b);
      return out;
    case 'isotonic': {
      const { x, y } = map;
      for (let i = 0; i < p.length; i++) out[i] = clamp(interpolate(x, y, p[i]));
      return out;
    }
  }
}

/** One value, as the serving path calls it per prediction. */
export function calibrateOne(map: CalibrationMap, p: number): number {
  switch (map.method) {
    case 'none':
      return p;
    case 'platt':
      return sigmoid(map.a * logit(p) + map.b);
    case 'isotonic':
      return clamp(interpolate(map.x, map.y, p));
  }
}

export function fitCalibration(method: CalibrationMethod, y: Uint8Array, p: Scores): CalibrationMap {
  checkBinaryInputs(y, p);
  switch (method) {
    case 'none':
      return { method: 'none' };
    case 'platt':
      return fitPlatt(y, p);
    case 'isotonic':
      return fitIsotonic(y, p);
  }
}

export interface CalibrationChoice {
  map: CalibrationMap;
  /** Cross-fitted log loss of each method on the held-out predictions (lower is better). */
  logLoss: Record<CalibrationMethod, number>;
  folds: number;
}

/**
 * Chooses the calibration by log loss, cross-fitted: each method is fitted on all folds but one of
 * the held-out predictions and scored on the fold left out (stratified, seeded), so isotonic's
 * flexibility is not rewarded for fitting its own points. The chosen method is then refitted on
 * all of them. `none` wins ties: calibration must earn its place.
 */
export function chooseCalibration(y: Uint8Array, p: Scores, options: { folds?: number; seed?: number } = {}): CalibrationChoice {
  checkBinaryInputs(y, p);
  const positives = countPositives(y);
  const folds = Math.max(2, Math.min(options.folds ?? 5, positives, y.length - positives));
  const fold = stratifiedFolds(y, folds, options.seed ?? 0);
  const losses = {} as Record<CalibrationMethod, number>;
  for (const method of CALIBRATION_METHODS) {
    const calibrated = new Float64Array(y.length);
    for (let k = 0; k < folds; k++) {
      const train = indices(fold, (f) => f !== k);
      const test = indices(fold, (f) => f === k);
      const map = fitCalibration(method, pick(y, train), pickScores(p, train));
      const out = applyCalibration(map, pickScores(p, test));
      test.forEach((row, j) => (calibrated[row] = out[j]));
    }
    losses[method] = logLoss(y, calibrated);
  }
  let best: CalibrationMethod = 'none';
  for (const method of CALIBRATION_METHODS) if (losses[method] < losses[best] - 1e-12) best = method;
  return { map: fitCalibration(best, y, p), logLoss: losses, folds };
}

/** Expected calibration error: the mean |observed rate - mean prediction| over `bins` equal-width bins, weighted by size. */
export function expectedCalibrationError(y: Uint8Array, p: Scores, bins = 10): number {
  checkBinaryInputs(y, p);
  const count = new Float64Array(bins);
  const sumP = new Float64Array(bins);
  const sumY = new Float64Array(bins);
  for (let i = 0; i < y.length; i++) {
    const b = Math.min(bins - 1, Math.floor(p[i] * bins));
    count[b]++;
    sumP[b] += p[i];
    sumY[b] += y[i];
  }
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b] > 0) ece += Math.abs(sumY[b] - sumP[b]) / y.length;
  return ece;
}

function fitPlatt(y: Uint8Array, p: ArrayLike<number>): CalibrationMap {
  // Platt (1999): targets (n+ + 1) / (n+ + 2) and 1 / (n- + 2) instead of 1 and 0, against overfitting.
  const positives = countPositives(y);
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (y.length - positives + 2);
  const z = Float64Array.from({ length: y.length }, (_, i) => logit(p[i]));
  let a = 1;
  let b = 0;
  const objective = (a: number, b: number): number => {
    let f = 0;
    for (let i = 0; i < z.length; i++) {
      const t = y[i] ? hi : lo;
      const s = a * z[i] + b;
      // t * log(1 + e^-s) + (1 - t) * log(1 + e^s), stably.
      f += Math.max(s, 0) + Math.log1p(Math.exp(-Math.abs(s))) - t * s;
    }
    return f;
  };
  let f = objective(a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    let ga = 0;
    let gb = 0;
    let haa = 1e-12;
    let hab = 0;
    let hbb = 1e-12;
    for (let i = 0; i < z.length; i++) {
      const t = y[i] ? hi : lo;
      const q = sigmoid(a * z[i] + b);
      const r = q - t;
      const w = q * (1 - q);
      ga += r * z[i];
      gb += r;
      haa += w * z[i] * z[i];
      hab += w * z[i];
      hbb += w;
    }
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    // Halve the Newton step until the objective decreases.
    let step = 1;
    let next = objective(a - da, b - db);
    while (next > f && step > 1e-10) {
      step /= 2;
      next = objective(a - da * step, b - db * step);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const gain = f - next;
    f = next;
    if (gain <= 1e-12 * Math.max(1, Math.abs(f)) || Math.abs(ga) + Math.abs(gb) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/** Pool adjacent violators over the predictions sorted ascending (ties pooled first). */
function fitIsotonic(y: Uint8Array, p: ArrayLike<number>): CalibrationMap {
  const order = Array.from({ length: y.length }, (_, i) => i).sort((i, j) => p[i] - p[j]);
  const xs: number[] = [];
  const sums: number[] = [];
  const weights: number[] = [];
  for (const i of order) {
    const x = p[i];
    if (xs.length > 0 && xs[xs.length - 1] === x) {
      sums[sums.length - 1] += y[i];
      weights[weights.length - 1] += 1;
    } else {
      xs.push(x);
      sums.push(y[i]);
      weights.push(1);
    }
  }
  // Blocks: [start x index, end x index], mean, weight; merged while decreasing.
  const start: number[] = [];
  const end: number[] = [];
  const mean: number[] = [];
  const weight: number[] = [];
  for (let k = 0; k < xs.length; k++) {
    start.push(k);
    end.push(k);
    mean.push(sums[k] / weights[k]);
    weight.push(weights[k]);
    while (mean.length > 1 && mean[mean.length - 2] >= mean[mean.length - 1]) {
      const w = weight[weight.length - 2] + weight[weight.length - 1];
      const m = (mean[mean.length - 2] * weight[weight.length - 2] + mean[mean.length - 1] * weight[weight.length - 1]) / w;
      end[end.length - 2] = end[end.length - 1];
      mean[mean.length - 2] = m;
      weight[weight.length - 2] = w;
      start.pop();
      end.pop();
      mean.pop();
      weight.pop();
    }
  }
  // Each block gives its two ends (one point when it holds one x), so the map is a step function
  // between blocks' ends and linear across a gap between blocks.
  const x: number[] = [];
  const yOut: number[] = [];
  for (let k = 0; k < mean.length; k++) {
    x.push(xs[start[k]]);
    yOut.push(mean[k]);
    if (end[k] !== start[k]) {
      x.push(xs[end[k]]);
      yOut.push(mean[k]);
    }
  }
  return { method: 'isotonic', x, y: yOut };
}

function interpolate(x: readonly number[], y: readonly number[], v: number): number {
  if (v <= x[0]) return y[0];
  const last = x.length - 1;
  if (v >= x[last]) return y[last];
  let lo = 0;
  let hi = last;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (x[mid] <= v) lo = mid;
    else hi = mid;
  }
  const span = x[hi] - x[lo];
  return span > 0 ? y[lo] + ((y[hi] - y[lo]) * (v - x[lo])) / span : y[hi];
}

function indices(values: ArrayLike<number>, keep: (v: number) => boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < values.length; i++) if (keep(values[i])) out.push(i);
  return out;
}

function pick(y: Uint8Array, rows: readonly number[]): Uint8Array {
  return Uint8Array.from(rows, (r) => y[r]);
}

function pickScores(p: ArrayLike<number>, rows: readonly number[]): Float64Array {
  return Float64Array.from(rows, (r) => p[r]);
}

function logit(p: number): number {
  const q = Math.min(Math.max(p, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
  return Math.log(q / (1 - q));
}

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

function clamp(p: number): number {
  return Math.min(1 - EPS, Math.max(EPS, p));
}
