import type { Matrix } from '../model';
import { meanLogLoss, penalisedLogLoss, penalisedLogLossHessian } from './logistic-objective';

const X: Matrix = { data: Float32Array.from([1, 2, -1, 0.5, 0, -3, 2, 1]), rows: 4, cols: 2 };
const y = Uint8Array.from([1, 0, 0, 1]);

describe('penalisedLogLoss', () => {
  it('is log 2 at zero weights (every probability 1/2)', () => {
    const f = penalisedLogLoss(X, y, 1, true);
    expect(f(new Float64Array(3), new Float64Array(3))).toBeCloseTo(Math.LN2, 12);
  });

  it('adds ||w||^2 / (2 C n) and leaves the intercept unpenalised', () => {
    const theta = Float64Array.from([0.3, -0.2, 5]);
    const g = new Float64Array(3);
    const penalty = (0.3 ** 2 + 0.2 ** 2) / (2 * 0.5 * 4);
    expect(penalisedLogLoss(X, y, 0.5, true)(theta, g)).toBeCloseTo(meanLogLoss(X, y, theta) + penalty, 12);
  });

  it('has the gradient of central finite differences', () => {
    const f = penalisedLogLoss(X, y, 0.7, true);
    const theta = Float64Array.from([0.4, -1.1, 0.25]);
    const gradient = new Float64Array(3);
    f(theta, gradient);
    const scratch = new Float64Array(3);
    for (let i = 0; i < 3; i++) {
      const h = 1e-6;
      const plus = Float64Array.from(theta);
      const minus = Float64Array.from(theta);
      plus[i] += h;
      minus[i] -= h;
      expect(gradient[i]).toBeCloseTo((f(plus, scratch) - f(minus, scratch)) / (2 * h), 8);
    }
  });

  it('keeps the intercept at zero without fitIntercept', () => {
    const g = new Float64Array(3);
    penalisedLogLoss(X, y, 1, false)(Float64Array.from([0.1, 0.2, 0]), g);
    expect(g[2]).toBe(0);
  });

  it('stays finite for very confident predictions', () => {
    const theta = Float64Array.from([800, 0, 0]); // z = +-800: exp would overflow
    expect(Number.isFinite(meanLogLoss(X, y, theta))).toBe(true);
  });
});

describe('penalisedLogLossHessian', () => {
  const theta = Float64Array.from([0.4, -1.1, 0.25]);

  it('is the Jacobian of the gradient (central differences), penalty on the weights only', () => {
    const f = penalisedLogLoss(X, y, 0.7, true);
    const H = new Float64Array(9);
    penalisedLogLossHessian(X, 0.7, true)(theta, H);
    const plus = new Float64Array(3);
    const minus = new Float64Array(3);
    for (let j = 0; j < 3; j++) {
      const h = 1e-6;
      const a = Float64Array.from(theta);
      const b = Float64Array.from(theta);
      a[j] += h;
      b[j] -= h;
      f(a, plus);
      f(b, minus);
      for (let i = 0; i < 3; i++) expect(H[i * 3 + j]).toBeCloseTo((plus[i] - minus[i]) / (2 * h), 8);
    }
    expect(H[1]).toBe(H[3]); // symmetric
  });

  it('above maxRows takes every k-th row, keeping the penalty of all n rows', () => {
    // Rows 0 and 2 of 4 (stride 2): the Hessian of those two rows, whose penalty 1 / (C' 2) equals 1 / (C 4).
    const sub: Matrix = { data: Float32Array.from([1, 2, 0, -3]), rows: 2, cols: 2 };
    const sampled = new Float64Array(9);
    const exact = new Float64Array(9);
    penalisedLogLossHessian(X, 0.5, true, 2)(theta, sampled);
    penalisedLogLossHessian(sub, 1, true)(theta, exact);
    sampled.forEach((v, i) => expect(v).toBeCloseTo(exact[i], 14));
  });

  it('without fitIntercept holds the intercept still (its row and column are the identity)', () => {
    const H = new Float64Array(9);
    penalisedLogLossHessian(X, 1, false)(theta, H);
    expect([H[2], H[5], H[6], H[7], H[8]]).toEqual([0, 0, 0, 0, 1]);
  });
});
