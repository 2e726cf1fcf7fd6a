import { countPositives, logLoss, LOG_LOSS_EPS, SeededRandom, stratifiedFolds, type Scores } from '@purchase/core';
import { applyCalibration, calibrateOne, CALIBRATION_METHODS, chooseCalibration, expectedCalibrationError, fitCalibration, type CalibrationMap, type CalibrationMethod } from './calibration';

const P = Float64Array.from([0.05, 0.1, 0.2, 0.3, 0.35, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95]);
const Y = Uint8Array.from([0, 0, 1, 0, 0, 1, 0, 1, 1, 1, 1, 1]);

/** Outcomes drawn at true probabilities, scored by a model that is sure of itself: sigmoid(3 logit(p)). */
function overconfident(n: number, seed: number): { y: Uint8Array; p: Float64Array } {
  const random = new SeededRandom(seed);
  const y = new Uint8Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const truth = 0.05 + 0.9 * random.next();
    y[i] = random.next() < truth ? 1 : 0;
    const z = 3 * Math.log(truth / (1 - truth));
    p[i] = 1 / (1 + Math.exp(-z));
  }
  return { y, p };
}

describe('calibration', () => {
  it('fits Platt scaling as scikit-learn does (_sigmoid_calibration on the logits, with Platt targets)', () => {
    const map = fitCalibration('platt', Y, P);
    if (map.method !== 'platt') throw new Error('expected platt');
    // sklearn 1.2 (Debian): a = -0.746814401132369, b = -0.46461233769761245 for 1 / (1 + exp(a f + b)),
    // found by L-BFGS to its tolerance; Newton's method here goes to the optimum, 1e-6 away.
    expect(map.a).toBeCloseTo(0.746814401132369, 5);
    expect(map.b).toBeCloseTo(0.46461233769761245, 5);
  });

  it('fits isotonic regression as scikit-learn does (out_of_bounds clip)', () => {
    const map = fitCalibration('isotonic', Y, P);
    const at = Float64Array.from([0.05, 0.15, 0.3, 0.37, 0.45, 0.55, 0.99]);
    // sklearn IsotonicRegression(out_of_bounds='clip').fit(P, Y).predict(at)
    const sklearn = [0.0, 0.1666666666666666, 0.3333333333333333, 0.4, 0.5, 0.7500000000000002, 1.0];
    const ours = applyCalibration(map, at);
    sklearn.forEach((v, i) => expect(ours[i]).toBeCloseTo(v, 5));
    expect(calibrateOne(map, 0.45)).toBe(ours[4]);
  });

  it('lowers the log loss and the calibration error of a deliberately miscalibrated model on new data', () => {
    const fit = overconfident(4000, 1);
    const test = overconfident(20000, 2);
    const choice = chooseCalibration(fit.y, fit.p, { seed: 3 });
    expect(choice.map.method).not.toBe('none');
    expect(choice.logLoss[choice.map.method]).toBeLessThan(choice.logLoss.none);
    const calibrated = applyCalibration(choice.map, test.p);
    expect(logLoss(test.y, calibrated)).toBeLessThan(logLoss(test.y, test.p) - 0.05);
    expect(expectedCalibrationError(test.y, calibrated)).toBeLessThan(0.02);
    expect(expectedCalibrationError(test.y, test.p)).toBeGreaterThan(0.08);
    // Platt's family holds the truth here: a = 1/3, b = 0.
    const platt = fitCalibration('platt', fit.y, fit.p);
    if (platt.method !== 'platt') throw new Error('expected platt');
    expect(platt.a).toBeCloseTo(1 / 3, 1);
    expect(Math.abs(platt.b)).toBeLessThan(0.1);
  });

  it('keeps the identity when calibration does not earn its place, and is deterministic with a seed', () => {
    const random = new SeededRandom(9);
    const n = 3000;
    const p = Float64Array.from({ length: n }, () => 0.1 + 0.8 * random.next());
    const y = Uint8Array.from(p, (q) => (random.next() < q ? 1 : 0));
    const a = chooseCalibration(y, p, { seed: 1 });
    expect(chooseCalibration(y, p, { seed: 1 })).toEqual(a);
    // Well calibrated already: whatever is chosen barely moves the loss.
    expect(Math.abs(a.logLoss[a.map.method] - a.logLoss.none)).toBeLessThan(0.005);
    expect(chooseCalibration(Uint8Array.from([0, 1, 0, 1]), Float64Array.from([0.2, 0.8, 0.3, 0.7])).folds).toBe(2);
  });

  it('keeps probabilities inside (0, 1), so no log loss is infinite', () => {
    const map = fitCalibration('isotonic', Uint8Array.from([0, 0, 1, 1]), Float64Array.from([0.1, 0.2, 0.8, 0.9]));
    const out = applyCalibration(map, Float64Array.from([0, 0.1, 0.95, 1]));
    for (const v of out) {
      expect(v).toBeGreaterThan(0);
      expect(v).toBeLessThan(1);
    }
    expect(expectedCalibrationError(Uint8Array.from([0, 1]), Float64Array.from([0, 1]))).toBe(0);
  });

  describe('matches the straightforward implementation exactly (one sort and one pass of logits for all folds)', () => {
    // Scores on a coarse grid (many ties, some ±0 and negatives for isotonic), or continuous.
    const cases: { name: string; n: number; grid: number; float32: boolean }[] = [
      { name: 'ties, Float64', n: 2000, grid: 40, float32: false },
      { name: 'heavy ties, Float32', n: 1500, grid: 7, float32: true },
      { name: 'continuous, Float32', n: 3000, grid: 0, float32: true },
      { name: 'tiny', n: 9, grid: 3, float32: false },
    ];
    for (const c of cases) {
      it(`${c.name}: every map and every cross-fitted loss toEqual the reference's`, () => {
        for (let seed = 1; seed <= 3; seed++) {
          const { y, p } = randomScores(c.n, c.grid, c.float32, seed);
          for (const method of CALIBRATION_METHODS) expect(fitCalibration(method, y, p)).toEqual(referenceFit(method, y, p));
          for (const folds of [2, 3, 5]) {
            const expected = referenceChoose(y, p, { folds, seed });
            const actual = chooseCalibration(y, p, { folds, seed });
            expect(actual).toEqual(expected);
            expect(Object.is(actual.logLoss.isotonic, expected.logLoss.isotonic)).toBe(true);
          }
        }
      });
    }

    it('keeps the sign of a zero score as the first row holding it in the fitted rows', () => {
      // -0 and +0 are one distinct score; the reference reports the first (stably sorted) row's.
      const p = Float64Array.from([-0, 0, 0.5, -0, 0.25, 0, 0.75, 0.5]);
      const y = Uint8Array.from([0, 1, 1, 0, 0, 1, 1, 0]);
      const map = fitCalibration('isotonic', y, p);
      expect(map).toEqual(referenceFit('isotonic', y, p));
      if (map.method !== 'isotonic') throw new Error('expected isotonic');
      expect(Object.is(map.x[0], -0)).toBe(true);
      const q = Float64Array.from([0, -0, 0.5, -0, 0.25, 0, 0.75, 0.5]);
      const other = fitCalibration('isotonic', y, q);
      if (other.method !== 'isotonic') throw new Error('expected isotonic');
      expect(Object.is(other.x[0], 0)).toBe(true);
      for (let seed = 0; seed < 6; seed++) expect(chooseCalibration(y, p, { folds: 2, seed })).toEqual(referenceChoose(y, p, { folds: 2, seed }));
    });

    it('would notice a changed map: the comparison is exact', () => {
      const { y, p } = randomScores(500, 20, false, 7);
      const map = fitCalibration('isotonic', y, p);
      if (map.method !== 'isotonic') throw new Error('expected isotonic');
      expect({ ...map, y: map.y.map((v, i) => (i === 3 ? v + 1e-16 * Math.max(1, v) : v)) }).not.toEqual(referenceFit('isotonic', y, p));
    });
  });
});

/** Labels drawn at the score (so calibration has something to fit); scores rounded to `grid` steps when grid > 0. */
function randomScores(n: number, grid: number, float32: boolean, seed: number): { y: Uint8Array; p: Scores } {
  const random = new SeededRandom(seed);
  const p = float32 ? new Float32Array(n) : new Float64Array(n);
  const y = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const truth = random.next();
    const score = 0.5 + 1.6 * (truth - 0.5) ** 3 + 0.1 * (random.next() - 0.5);
    p[i] = grid > 0 ? Math.round(score * grid) / grid : score;
    y[i] = random.next() < truth ? 1 : 0;
  }
  // Both classes, whatever the draw.
  y[0] = 1;
  y[1] = 0;
  return { y, p };
}

// The straightforward implementation the fast one must equal: fold subsets copied per method and
// fold, isotonic sorting each subset with a comparator (as calibration.ts did before).

function referenceChoose(y: Uint8Array, p: Scores, options: { folds?: number; seed?: number }) {
  const positives = countPositives(y);
  const folds = Math.max(2, Math.min(options.folds ?? 5, positives, y.length - positives));
  const fold = stratifiedFolds(y, folds, options.seed ?? 0);
  const losses = {} as Record<CalibrationMethod, number>;
  for (const method of CALIBRATION_METHODS) {
    const calibrated = new Float64Array(y.length);
    for (let k = 0; k < folds; k++) {
      const train: number[] = [];
      const test: number[] = [];
      for (let i = 0; i < y.length; i++) (fold[i] === k ? test : train).push(i);
      const map = referenceFit(method, Uint8Array.from(train, (r) => y[r]), Float64Array.from(train, (r) => p[r]));
      const out = applyCalibration(map, Float64Array.from(test, (r) => p[r]));
      test.forEach((row, j) => (calibrated[row] = out[j]));
    }
    losses[method] = logLoss(y, calibrated);
  }
  let best: CalibrationMethod = 'none';
  for (const method of CALIBRATION_METHODS) if (losses[method] < losses[best] - 1e-12) best = method;
  return { map: referenceFit(best, y, p), logLoss: losses, folds };
}

function referenceFit(method: CalibrationMethod, y: Uint8Array, p: Scores): CalibrationMap {
  if (method === 'none') return { method: 'none' };
  return method === 'platt' ? referencePlatt(y, p) : referenceIsotonic(y, p);
}

function referencePlatt(y: Uint8Array, p: ArrayLike<number>): CalibrationMap {
  const logit = (v: number) => {
    const q = Math.min(Math.max(v, LOG_LOSS_EPS), 1 - LOG_LOSS_EPS);
    return Math.log(q / (1 - q));
  };
  const sigmoid = (v: number) => (v >= 0 ? 1 / (1 + Math.exp(-v)) : Math.exp(v) / (1 + Math.exp(v)));
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

function referenceIsotonic(y: Uint8Array, p: ArrayLike<number>): CalibrationMap {
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
