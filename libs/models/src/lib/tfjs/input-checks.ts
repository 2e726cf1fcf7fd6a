import type { FitOptions, Matrix } from '../model';

/** Boundary checks shared by the tfjs models; each message says what is wrong with which argument. */

export function assertMatrixShape(X: Matrix, name = 'X'): void {
  if (!Number.isInteger(X.rows) || X.rows < 0 || !Number.isInteger(X.cols) || X.cols < 0) {
    throw new Error(`${name} has an invalid shape ${X.rows} x ${X.cols}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new Error(`${name}.data has ${X.data.length} values, but ${name} is ${X.rows} x ${X.cols} = ${X.rows * X.cols}`);
  }
}

/** Dense layers propagate NaN into every output, so a missing value is refused rather than predicted. */
export function assertFinite(X: Matrix, name = 'X'): void {
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / X.cols);
      throw new Error(
        `${name}[${row}, ${i - row * X.cols}] is ${data[i]}: tfjs models need finite inputs (impute missing values first)`,
      );
    }
  }
}

/** Checks y against X and returns the number of positive labels. */
export function assertLabels(y: Uint8Array, rows: number, name = 'y', xName = 'X'): number {
  if (y.length !== rows) throw new Error(`${name} has ${y.length} labels, ${xName} has ${rows} rows`);
  let positives = 0;
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new Error(`${name}[${i}] is ${y[i]}; labels must be 0 or 1`);
    positives += y[i];
  }
  return positives;
}

/** Everything `fit` needs to hold before training starts. Returns the number of positive labels in y. */
export function assertTrainingData(X: Matrix, y: Uint8Array, options: FitOptions): number {
  assertMatrixShape(X);
  if (X.rows === 0) throw new Error('X has no rows');
  if (X.cols === 0) throw new Error('X has no columns');
  assertFinite(X);
  const positives = assertLabels(y, X.rows);
  if (positives === 0 || positives === X.rows) {
    throw new Error(`y holds only class ${positives === 0 ? 0 : 1}; fitting needs both classes`);
  }
  const { validation, featureNames } = options;
  if (validation !== undefined) {
    assertMatrixShape(validation.X, 'validation X');
    if (validation.X.cols !== X.cols) {
      throw new Error(`validation X has ${validation.X.cols} columns, X has ${X.cols}`);
    }
    if (validation.X.rows === 0) throw new Error('validation X has no rows');
    assertFinite(validation.X, 'validation X');
    assertLabels(validation.y, validation.X.rows, 'validation y', 'validation X');
  }
  if (featureNames !== undefined && featureNames.length !== X.cols) {
    throw new Error(`featureNames has ${featureNames.length} names, X has ${X.cols} columns`);
  }
  return positives;
}

/** What predictProba checks before it touches tfjs. */
export function assertPredictInput(X: Matrix, inputWidth: number): void {
  assertMatrixShape(X);
  if (X.cols !== inputWidth) throw new Error(`X has ${X.cols} columns, the model was fitted on ${inputWidth}`);
  assertFinite(X);
}
