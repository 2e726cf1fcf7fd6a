import type { Matrix } from './matrix';

export interface MatrixCheckOptions {
  /** How messages name the matrix: "X" (the default), "validation X". */
  name?: string;
  /**
   * Accept NaN and ±Infinity. The trees take them (NaN is a missing value with a bin of its own,
   * ±Infinity falls in the outer bins). Without it every value must be finite, as dense layers need.
   */
  allowNonFinite?: boolean;
}

/** Checks a matrix's storage and shape and, unless `allowNonFinite`, that every value is finite. */
export function checkMatrix(X: Matrix, options: MatrixCheckOptions = {}): void {
  const { name = 'X', allowNonFinite = false } = options;
  if (!(X.data instanceof Float32Array)) throw new Error(`${name}.data must be a Float32Array`);
  if (!Number.isInteger(X.rows) || X.rows < 0 || !Number.isInteger(X.cols) || X.cols < 1) {
    throw new Error(`${name} must have a whole number of rows and at least one column, got ${X.rows} x ${X.cols}`);
  }
  if (X.data.length !== X.rows * X.cols) {
    throw new Error(`${name}.data has ${X.data.length} values, ${X.rows} rows x ${X.cols} columns need ${X.rows * X.cols}`);
  }
  if (allowNonFinite) return;
  const data = X.data;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      const row = Math.floor(i / X.cols);
      throw new Error(`${name}[${row}, ${i - row * X.cols}] is ${data[i]}, values must be finite (impute missing values first)`);
    }
  }
}

/** Checks one name per column: `name` is how messages call the list ("featureNames", "columnNames"). */
export function checkColumnNames(names: readonly string[], X: Matrix, name: string, matrixName = 'X'): void {
  if (names.length !== X.cols) throw new Error(`${name} has ${names.length} names, ${matrixName} has ${X.cols} columns`);
}
