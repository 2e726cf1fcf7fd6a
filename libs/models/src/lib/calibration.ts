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
      return fitPlatt(y, logits(p));
    case 'isotonic':
      return new IsotonicCounts(y, p, new Int32Array(y.length), 1).fit(-1);
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
 *
 * The scores are sorted once for every isotonic fit (counts per distinct score and fold; a fold's
 * fit subtracts its own) and turned into logits once for every Platt fit; each fit sees the same
 * rows in the same order as a fit on that fold's copy would, so the maps are the same numbers.
 */
export function chooseCalibration(y: Uint8Array, p: Scores, options: { folds?: number; seed?: number } = {}): CalibrationChoice {
  checkBinaryInputs(y, p);
  const positives = countPositives(y);
  const folds = Math.max(2, Math.min(options.folds ?? 5, positives, y.length - positives));
  const fold = stratifiedFolds(y, folds, options.seed ?? 0);
  const z = logits(p);
  const isotonic = new IsotonicCounts(y, p, fold, folds);
  // The identity's held-out predictions are the scores themselves.
  const losses: Record<CalibrationMethod, number> = { none: logLoss(y, p), platt: 0, isotonic: 0 };
  const calibrated = new Float64Array(y.length);
  const trainY = new Uint8Array(y.length);
  const trainZ = new Float64Array(y.length);
  for (let k = 0; k < folds; k++) {
    let n = 0;
    for (let i = 0; i < y.length; i++) {
      if (fold[i] === k) continue;
      trainY[n] = y[i];
      trainZ[n++] = z[i];
    }
    const { a, b } = fitPlatt(trainY.subarray(0, n), trainZ.subarray(0, n));
    for (let i = 0; i < y.length; i++) if (fold[i] === k) calibrated[i] = sigmoid(a * z[i] + b);
  }
  losses.platt = logLoss(y, calibrated);
  for (let k = 0; k < folds; k++) {
    const map = isotonic.fit(k);
    for (let i = 0; i < y.length; i++) if (fold[i] === k) calibrated[i] = clamp(interpolate(map.x, map.y, p[i]));
  }
  losses.isotonic = logLoss(y, calibrated);
  let best: CalibrationMethod = 'none';
  for (const method of CALIBRATION_METHODS) if (losses[method] < losses[best] - 1e-12) best = method;
  const map: CalibrationMap = best === 'none' ? { method: 'none' } : best === 'platt' ? fitPlatt(y, z) : isotonic.fit(-1);
  return { map, logLoss: losses, folds };
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

/**
 * Platt scaling of the logits z = logit(p). Newton's method with step halving; the pass that
 * measures the objective at a step also sums the gradient and Hessian there (sharing each row's
 * exp(-|s|)), so an accepted step's pass serves the next iteration too.
 */
function fitPlatt(y: Uint8Array, z: Float64Array): { method: 'platt'; a: number; b: number } {
  // Platt (1999): targets (n+ + 1) / (n+ + 2) and 1 / (n- + 2) instead of 1 and 0, against overfitting.
  const positives = countPositives(y);
  const hi = (positives + 1) / (positives + 2);
  const lo = 1 / (y.length - positives + 2);
  // Each row's target, looked up once rather than branched on (unpredictably) in every pass.
  const target = new Float64Array(y.length);
  for (let i = 0; i < y.length; i++) target[i] = y[i] ? hi : lo;
  let a = 1;
  let b = 0;
  let at = plattPass(target, z, a, b);
  for (let iteration = 0; iteration < 100; iteration++) {
    const { f, ga, gb, haa, hab, hbb } = at;
    const det = haa * hbb - hab * hab;
    if (!(det > 0)) break;
    let da = (hbb * ga - hab * gb) / det;
    let db = (haa * gb - hab * ga) / det;
    // Halve the Newton step until the objective decreases.
    let step = 1;
    let next = plattPass(target, z, a - da, b - db);
    while (next.f > f && step > 1e-10) {
      step /= 2;
      next = plattPass(target, z, a - da * step, b - db * step);
    }
    da *= step;
    db *= step;
    a -= da;
    b -= db;
    const gain = f - next.f;
    at = next;
    if (gain <= 1e-12 * Math.max(1, Math.abs(next.f)) || Math.abs(ga) + Math.abs(gb) < 1e-10) break;
  }
  return { method: 'platt', a, b };
}

/**
 * Platt's objective at (a, b), sum over rows of t log(1 + e^-s) + (1 - t) log(1 + e^s) with
 * s = a z + b (stably), and its gradient and Hessian (plus 1e-12 on the diagonal), summed row by row in order.
 */
function plattPass(target: Float64Array, z: Float64Array, a: number, b: number) {
  let f = 0;
  let ga = 0;
  let gb = 0;
  let haa = 1e-12;
  let hab = 0;
  let hbb = 1e-12;
  for (let i = 0; i < z.length; i++) {
    const t = target[i];
    const zi = z[i];
    const s = a * zi + b;
    const e = Math.exp(-Math.abs(s));
    f += Math.max(s, 0) + Math.log1p(e) - t * s;
    // sigmoid(s), as sigmoid() computes it: exp(-|s|) is exp(-s) for s >= 0 and exp(s) below.
    const q = s >= 0 ? 1 / (1 + e) : e / (1 + e);
    const r = q - t;
    const w = q * (1 - q);
    ga += r * zi;
    gb += r;
    haa += w * zi * zi;
    hab += w * zi;
    hbb += w;
  }
  return { f, ga, gb, haa, hab, hbb };
}

/**
 * The counts an isotonic fit needs, for every fold at once: the distinct scores ascending, and per
 * distinct score and fold the number of rows and of positives. Pool adjacent violators only sees
 * per-distinct-score sums and counts, so a fit leaving out fold k (or none: -1) subtracts that
 * fold's counts from the totals instead of sorting its rows again; the counts are integers, exact.
 */
class IsotonicCounts {
  /** Distinct scores, ascending (-0 and +0 are one). */
  private readonly values: Float64Array;
  /** [distinct * folds + fold]: rows, and positives among them. */
  private readonly rows: Int32Array;
  private readonly positives: Int32Array;
  private readonly totalRows: Int32Array;
  private readonly totalPositives: Int32Array;
  /** Per fold, its first row (in data order) scoring zero, or -1: the sign of zero a fit reports is that of its first such row. */
  private readonly firstZero: Int32Array;

  constructor(
    y: Uint8Array,
    private readonly p: Scores,
    fold: Int32Array,
    private readonly folds: number,
  ) {
    const sorted = new Float64Array(p);
    sorted.sort();
    let m = 0;
    for (let k = 0; k < sorted.length; k++) if (m === 0 || sorted[k] !== sorted[m - 1]) sorted[m++] = sorted[k];
    const values = sorted.slice(0, m);
    this.values = values;
    this.rows = new Int32Array(m * folds);
    this.positives = new Int32Array(m * folds);
    this.totalRows = new Int32Array(m);
    this.totalPositives = new Int32Array(m);
    this.firstZero = new Int32Array(folds).fill(-1);
    for (let i = 0; i < p.length; i++) {
      const v = p[i];
      // The first distinct value >= v, which is v.
      let lo = 0;
      let hi = m - 1;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (values[mid] < v) lo = mid + 1;
        else hi = mid;
      }
      const f = fold[i];
      this.rows[lo * folds + f]++;
      this.positives[lo * folds + f] += y[i];
      this.totalRows[lo]++;
      this.totalPositives[lo] += y[i];
      if (v === 0 && this.firstZero[f] < 0) this.firstZero[f] = i;
    }
  }

  /** Pool adjacent violators over the rows outside fold `excluded` (-1: all rows), ties pooled first. */
  fit(excluded: number): { method: 'isotonic'; x: number[]; y: number[] } {
    const { values, folds } = this;
    const m = values.length;
    const own = (counts: Int32Array, d: number) => (excluded < 0 ? 0 : counts[d * folds + excluded]);
    // Blocks: [start, end] (indices into the distinct values present), mean, weight; merged while decreasing.
    const xs = new Float64Array(m);
    const start = new Int32Array(m);
    const end = new Int32Array(m);
    const mean = new Float64Array(m);
    const weight = new Float64Array(m);
    let present = 0;
    let blocks = 0;
    for (let d = 0; d < m; d++) {
      const rows = this.totalRows[d] - own(this.rows, d);
      if (rows === 0) continue;
      const k = present++;
      xs[k] = values[d] === 0 ? this.zero(excluded) : values[d];
      start[blocks] = k;
      end[blocks] = k;
      mean[blocks] = (this.totalPositives[d] - own(this.positives, d)) / rows;
      weight[blocks] = rows;
      blocks++;
      while (blocks > 1 && mean[blocks - 2] >= mean[blocks - 1]) {
        const w = weight[blocks - 2] + weight[blocks - 1];
        const merged = (mean[blocks - 2] * weight[blocks - 2] + mean[blocks - 1] * weight[blocks - 1]) / w;
        end[blocks - 2] = end[blocks - 1];
        mean[blocks - 2] = merged;
        weight[blocks - 2] = w;
        blocks--;
      }
    }
    // Each block gives its two ends (one point when it holds one x), so the map is a step function
    // between blocks' ends and linear across a gap between blocks.
    const x: number[] = [];
    const yOut: number[] = [];
    for (let k = 0; k < blocks; k++) {
      x.push(xs[start[k]]);
      yOut.push(mean[k]);
      if (end[k] !== start[k]) {
        x.push(xs[end[k]]);
        yOut.push(mean[k]);
      }
    }
    return { method: 'isotonic', x, y: yOut };
  }

  /** Zero as the first row scoring zero outside fold `excluded` holds it: +0 or -0. */
  private zero(excluded: number): number {
    let first = -1;
    for (let f = 0; f < this.folds; f++) {
      const row = this.firstZero[f];
      if (f !== excluded && row >= 0 && (first < 0 || row < first)) first = row;
    }
    return this.p[first];
  }
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

function logits(p: Scores): Float64Array {
  const z = new Float64Array(p.length);
  for (let i = 0; i < p.length; i++) z[i] = logit(p[i]);
  return z;
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
