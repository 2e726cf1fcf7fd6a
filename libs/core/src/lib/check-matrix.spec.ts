import { checkColumnNames, checkMatrix } from './check-matrix';
import type { Matrix } from './matrix';

const matrix = (values: number[], rows: number, cols: number): Matrix => ({ data: Float32Array.from(values), rows, cols });

describe('checkMatrix', () => {
  it('accepts a well-formed matrix, also one with no rows', () => {
    expect(() => checkMatrix(matrix([1, 2, 3, 4], 2, 2))).not.toThrow();
    expect(() => checkMatrix(matrix([], 0, 3))).not.toThrow();
  });

  it('names the wrong storage or shape, under the name the caller gives', () => {
    expect(() => checkMatrix({ data: new Float64Array(2) as unknown as Float32Array, rows: 1, cols: 2 })).toThrow(
      new Error('X.data must be a Float32Array'),
    );
    expect(() => checkMatrix(matrix([], 2, 0))).toThrow(new Error('X must have a whole number of rows and at least one column, got 2 x 0'));
    expect(() => checkMatrix(matrix([1], 0.5, 2), { name: 'validation X' })).toThrow(
      new Error('validation X must have a whole number of rows and at least one column, got 0.5 x 2'),
    );
    expect(() => checkMatrix(matrix([1, 2, 3], 2, 2))).toThrow(new Error('X.data has 3 values, 2 rows x 2 columns need 4'));
  });

  it('refuses a non-finite value at its row and column, unless allowNonFinite', () => {
    expect(() => checkMatrix(matrix([0, 1, NaN, 0], 2, 2))).toThrow(new Error('X[1, 0] is NaN, values must be finite (impute missing values first)'));
    expect(() => checkMatrix(matrix([0, -Infinity], 1, 2), { name: 'validation X' })).toThrow(
      new Error('validation X[0, 1] is -Infinity, values must be finite (impute missing values first)'),
    );
    expect(() => checkMatrix(matrix([NaN, Infinity, -Infinity, 0], 2, 2), { allowNonFinite: true })).not.toThrow();
    // The shape is checked either way.
    expect(() => checkMatrix(matrix([NaN], 1, 2), { allowNonFinite: true })).toThrow(new Error('X.data has 1 values, 1 rows x 2 columns need 2'));
  });
});

describe('checkColumnNames', () => {
  it('wants one name per column', () => {
    const X = matrix([1, 2, 3], 1, 3);
    expect(() => checkColumnNames(['a', 'b', 'c'], X, 'featureNames')).not.toThrow();
    expect(() => checkColumnNames(['a'], X, 'featureNames')).toThrow(new Error('featureNames has 1 names, X has 3 columns'));
    expect(() => checkColumnNames([], X, 'columnNames', 'validation X')).toThrow(new Error('columnNames has 0 names, validation X has 3 columns'));
  });
});
