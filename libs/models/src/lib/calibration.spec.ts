import { logLoss, SeededRandom } from '@purchase/core';
import { applyCalibration, calibrateOne, chooseCalibration, expectedCalibrationError, fitCalibration } from './calibration';

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
});
