import type { FitOptions, Matrix } from '../model';

/** Checks a matrix's shape: `name` is how the caller calls it ("X", "validation X"). */
export function checkMatrix(X: Matrix, name = 'X'): void {
  if (!(X.data instanceof Float32Array)) throw new Error(`${name}.data must be a Float32Array`);
  if (!Number.isInteger(X.rows) || X.rows < 0 || !Number.isInteger(X.cols) || X.cols < 1) {
    throw new Error(`${name} must have a whole number of rows and at least one column, got ${X.rows} x ${X.cols}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new Error(`${name}.data has ${X.data.length} values, ${X.rows} rows x ${X.cols} columns need ${X.rows * X.cols}`);
  }
}

/** Checks 0/1 labels, one per row. */
export function checkLabels(y: Uint8Array, rows: number, name = 'y'): void {
  if (!(y instanceof Uint8Array)) throw new Error(`${name} must be a Uint8Array of 0/1 labels`);
  if (y.length !== rows) throw new Error(`${name} has ${y.length} labels for ${rows} rows`);
  for (let i = 0; i < y.length; i++) {
    if (y[i] > 1) throw new Error(`${name}[${i}] is ${y[i]}, labels must be 0 or 1`);
  }
}

/** A fitted model's check that X has the columns it was fitted on. */
export function checkWidth(X: Matrix, inputWidth: number): void {
  checkMatrix(X);
  if (X.cols !== inputWidth) throw new Error(`X has ${X.cols} columns, the model was fitted on ${inputWidth}`);
}

/** Checks everything fit() is given; returns the number of positive labels. */
export function checkFitInputs(X: Matrix, y: Uint8Array, options: FitOptions): number {
  checkMatrix(X);
  if (X.rows < 2) throw new Error(`X has ${X.rows} rows, fitting needs at least 2`);
  checkLabels(y, X.rows);
  let positives = 0;
  for (let i = 0; i < y.length; i++) positives += y[i];
  if (positives === 0 || positives === y.length) throw new Error(`y has only ${positives === 0 ? 'negative (0)' : 'positive (1)'} labels, fitting needs both`);
  const names = options.featureNames;
  if (names !== undefined && names.length !== X.cols) throw new Error(`featureNames has ${names.length} names for ${X.cols} columns`);
  if (options.validation !== undefined) {
    const V = options.validation.X;
    checkMatrix(V, 'validation X');
    if (V.cols !== X.cols) throw new Error(`validation X has ${V.cols} columns, X has ${X.cols}`);
    checkLabels(options.validation.y, options.validation.X.rows, 'validation y');
  }
  return positives;
}
