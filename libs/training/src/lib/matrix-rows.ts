import type { FeatureMatrix } from '@purchase/features';

/** The given rows of X, in that order, as a new matrix. */
export function takeRows(X: FeatureMatrix, rows: ArrayLike<number>): FeatureMatrix {
  const data = new Float32Array(rows.length * X.cols);
  for (let i = 0; i < rows.length; i++) data.set(X.data.subarray(rows[i] * X.cols, (rows[i] + 1) * X.cols), i * X.cols);
  return { data, rows: rows.length, cols: X.cols, columnNames: X.columnNames };
}

export function takeLabels(y: Uint8Array, rows: ArrayLike<number>): Uint8Array {
  return Uint8Array.from({ length: rows.length }, (_, i) => y[rows[i]]);
}

/** The rows of `a` then those of `b`, as a new matrix (same columns). */
export function stackRows(a: FeatureMatrix, b: FeatureMatrix): FeatureMatrix {
  if (a.cols !== b.cols) throw new Error(`cannot stack a matrix of ${b.cols} columns under one of ${a.cols}`);
  const data = new Float32Array(a.data.length + b.data.length);
  data.set(a.data);
  data.set(b.data, a.data.length);
  return { data, rows: a.rows + b.rows, cols: a.cols, columnNames: a.columnNames };
}

export function stackLabels(a: Uint8Array, b: Uint8Array): Uint8Array {
  const y = new Uint8Array(a.length + b.length);
  y.set(a);
  y.set(b, a.length);
  return y;
}
