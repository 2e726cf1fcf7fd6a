import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Matrix } from '../model';
import { LogisticRegression, NEWTON_MAX_COLS } from './logistic-regression';
import { meanLogLoss, penalisedLogLoss } from './logistic-objective';
import { NotFittedError, rocAuc, SeededRandom } from '@purchase/core';

/** Made by tools/fixtures/make-sklearn-logreg.py with Debian's python3-sklearn. */
interface SklearnFixture {
  sklearnVersion: string;
  cols: number;
  train: { rows: number; X: number[]; y: number[] };
  test: { rows: number; X: number[]; y: number[] };
  default: { coef: number[]; intercept: number; iterations: number; testAuc: number; testProba: number[] };
  converged: { coef: number[]; intercept: number };
}

const fixture = JSON.parse(
  readFileSync(path.join(__dirname, '../../../../../tools/fixtures/sklearn-logreg.json'), 'utf8'),
) as SklearnFixture;

function split(part: SklearnFixture['train']): { X: Matrix; y: Uint8Array } {
  return { X: { data: Float32Array.from(part.X), rows: part.rows, cols: fixture.cols }, y: Uint8Array.from(part.y) };
}

/** Largest |a - b| / max(|b|, 0.1): relative for real coefficients, absolute near zero. */
function maxRelativeError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let worst = 0;
  for (let i = 0; i < b.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]) / Math.max(Math.abs(b[i]), 0.1));
  return worst;
}

describe('LogisticRegression against scikit-learn LogisticRegression(C=1, lbfgs)', () => {
  const train = split(fixture.train);
  const test = split(fixture.test);
  const model = new LogisticRegression();

  beforeAll(async () => {
    await model.fit(train.X, train.y, { validation: test });
  });
  afterAll(() => model.dispose());

  it('reaches the exact optimum (newton-cg, tol 1e-12) to float32 precision: within 1e-6 relative', () => {
    const ours = [...model.coefficients, model.intercept];
    const reference = [...fixture.converged.coef, fixture.converged.intercept];
    expect(maxRelativeError(ours, reference)).toBeLessThan(1e-6);
  });

  it('is within 1e-4 relative of scikit-learn lbfgs at its defaults (which stops ~1e-5 short of the optimum)', () => {
    const ours = [...model.coefficients, model.intercept];
    const reference = [...fixture.default.coef, fixture.default.intercept];
    expect(maxRelativeError(ours, reference)).toBeLessThan(1e-4);
  });

  it('gives the same test ROC AUC (within 0.005; here the same ranking) and probabilities within 1e-5', () => {
    const proba = model.predictProba(test.X);
    const auc = rocAuc(test.y, proba);
    expect(Math.abs(auc - fixture.default.testAuc)).toBeLessThan(0.005);
    expect(auc).toBeCloseTo(fixture.default.testAuc, 10);
    fixture.default.testProba.forEach((p, i) => expect(Math.abs(proba[i] - p)).toBeLessThan(1e-5));
  });

  it('records how training ended', () => {
    const { training, inputWidth, hyperparameters } = model.describe();
    expect(inputWidth).toBe(6);
    expect(hyperparameters).toEqual({ C: 1, fitIntercept: true, maxIterations: 1000, tolerance: 1e-12 });
    expect(training).toMatchObject({ rows: 400, converged: true, stop: 'loss-change' });
    expect(training?.validationLoss).toBeGreaterThan(0);
  });

  it('follows C: a smaller C shrinks the coefficients', async () => {
    const strong = new LogisticRegression({ C: 0.01 });
    await strong.fit(train.X, train.y);
    const norm = (w: Float32Array) => Math.hypot(...w);
    expect(norm(strong.coefficients)).toBeLessThan(0.5 * norm(model.coefficients));
    strong.dispose();
  });

  it('reports progress per solver iteration with a falling training loss, the last one the fitted loss', async () => {
    const losses: number[] = [];
    const validationLosses: number[] = [];
    const lr = new LogisticRegression();
    await lr.fit(train.X, train.y, { validation: test, onProgress: (p) => (losses.push(p.trainLoss!), validationLosses.push(p.validationLoss!)) });
    const training = lr.describe().training!;
    expect(losses.length).toBe(training.iterations);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0]);
    // The training loss comes from the objective's value (no extra pass), and is the model's log loss.
    const theta = Float64Array.from([...lr.coefficients, lr.intercept]);
    expect(losses[losses.length - 1]).toBe(training.trainLoss);
    expect(training.trainLoss).toBeCloseTo(meanLogLoss(train.X, train.y, theta), 6);
    expect(validationLosses[validationLosses.length - 1]).toBe(training.validationLoss);
    lr.dispose();
  });
});

/** Largest |gradient| of the penalised objective at the fitted (float32) coefficients. */
function largestGradient(model: LogisticRegression, X: Matrix, y: Uint8Array, C: number): number {
  const g = new Float64Array(X.cols + 1);
  penalisedLogLoss(X, y, C, true)(Float64Array.from([...model.coefficients, model.intercept]), g);
  return Math.max(...g.map(Math.abs));
}

describe('LogisticRegression solvers', () => {
  it('fits full one-hot blocks (collinear with the intercept: a nearly flat objective) in a few Newton steps', async () => {
    // Two numbers, then one-hot device (3 levels) and customer type (2 levels), as the feature pipeline encodes them.
    const rng = new SeededRandom(11);
    const rows = 3000;
    const X: Matrix = { data: new Float32Array(rows * 7), rows, cols: 7 };
    const y = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      const o = r * 7;
      X.data[o] = rng.next() * 2 - 1;
      X.data[o + 1] = rng.next();
      const device = rng.nextInt(3);
      const returning = rng.nextInt(2);
      X.data[o + 2 + device] = 1;
      X.data[o + 5 + returning] = 1;
      const z = -0.5 + 2 * X.data[o] - X.data[o + 1] + 0.6 * device - 0.8 * returning;
      y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
    }
    const lr = new LogisticRegression();
    await lr.fit(X, y);
    expect(lr.describe().training).toMatchObject({ solver: 'newton', converged: true, stop: 'loss-change' });
    expect(lr.describe().training?.iterations).toBeLessThanOrEqual(10);
    expect(largestGradient(lr, X, y, 1)).toBeLessThan(1e-7);
    lr.dispose();
  });

  it(`falls back to L-BFGS above ${NEWTON_MAX_COLS} columns and reaches the optimum there too`, async () => {
    const rng = new SeededRandom(12);
    const rows = 400;
    const cols = NEWTON_MAX_COLS + 4;
    const X: Matrix = { data: Float32Array.from({ length: rows * cols }, () => rng.next() - 0.5), rows, cols };
    const y = Uint8Array.from({ length: rows }, (_, r) => (X.data[r * cols] + X.data[r * cols + 1] > 0 ? 1 : 0));
    const lr = new LogisticRegression();
    await lr.fit(X, y);
    expect(lr.describe().training).toMatchObject({ solver: 'lbfgs', converged: true });
    expect(largestGradient(lr, X, y, 1)).toBeLessThan(1e-6);
    lr.dispose();
  });
});

describe('LogisticRegression input checks', () => {
  const X: Matrix = { data: Float32Array.from([0, 1, 1, 0, 2, 2]), rows: 3, cols: 2 };
  const y = Uint8Array.from([0, 1, 1]);

  it('rejects bad hyperparameters', () => {
    expect(() => new LogisticRegression({ C: 0 })).toThrow('C must be a number > 0, got 0');
    expect(() => new LogisticRegression({ maxIterations: 1.5 })).toThrow('maxIterations must be an integer >= 1, got 1.5');
    expect(() => new LogisticRegression({ tolerance: -1 })).toThrow('tolerance must be a number >= 0, got -1');
    expect(() => new LogisticRegression({ fitIntercept: 'no' as unknown as boolean })).toThrow('fitIntercept must be true or false, got "no"');
    expect(() => new LogisticRegression({ c: 1 } as object)).toThrow('unknown hyperparameter "c" (known: C, fitIntercept, maxIterations, tolerance)');
  });

  it('rejects training data it cannot fit, naming the problem', async () => {
    const lr = new LogisticRegression();
    await expect(lr.fit(X, Uint8Array.from([0, 1]))).rejects.toThrow('y has 2 labels, X has 3 rows');
    await expect(lr.fit(X, Uint8Array.from([0, 2, 1]))).rejects.toThrow('y[1] is 2, labels must be 0 or 1');
    await expect(lr.fit(X, Uint8Array.from([1, 1, 1]))).rejects.toThrow('y has only positive (1) labels, fitting needs both classes');
    await expect(lr.fit({ ...X, data: Float32Array.from([0, 1, NaN, 0, 2, 2]) }, y)).rejects.toThrow(
      'X[1, 0] is NaN, values must be finite (impute missing values first)',
    );
    await expect(lr.fit({ ...X, rows: 4 }, y)).rejects.toThrow('X.data has 6 values, 4 rows x 2 columns need 8');
    await expect(lr.fit(X, y, { featureNames: ['a'] })).rejects.toThrow('featureNames has 1 names, X has 2 columns');
    await expect(
      lr.fit(X, y, { validation: { X: { data: new Float32Array(3), rows: 1, cols: 3 }, y: Uint8Array.from([1]) } }),
    ).rejects.toThrow('validation X has 3 columns, X has 2');
  });

  it('refuses to predict before fit, after dispose, or on a matrix of another width', async () => {
    const lr = new LogisticRegression();
    expect(() => lr.predictProba(X)).toThrow(NotFittedError);
    expect(() => lr.predictProba(X)).toThrow('LogisticRegression is not fitted, call fit() or load a saved model first');
    await lr.fit(X, y, { featureNames: ['a', 'b'] });
    expect(lr.describe().featureNames).toEqual(['a', 'b']);
    expect(() => lr.predictProba({ data: new Float32Array(3), rows: 1, cols: 3 })).toThrow(
      'X has 3 columns, the model was fitted on 2',
    );
    expect(lr.predictProba({ data: new Float32Array(0), rows: 0, cols: 2 })).toEqual(new Float32Array(0));
    lr.dispose();
    expect(() => lr.predictProba(X)).toThrow(NotFittedError);
    expect(() => lr.predictProba(X)).toThrow('LogisticRegression was disposed, call fit() or load a saved model first');
  });
});
