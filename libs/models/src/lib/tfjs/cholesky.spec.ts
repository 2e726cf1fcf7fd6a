import { solveCholesky } from './cholesky';

describe('solveCholesky', () => {
  it('solves a symmetric positive definite system', () => {
    // A = [[4, 2, 0], [2, 5, 1], [0, 1, 3]], x = [1, -2, 3]  =>  b = A x = [0, -5, 7]
    const A = Float64Array.from([4, 2, 0, 2, 5, 1, 0, 1, 3]);
    const x = solveCholesky(A, 3, Float64Array.from([0, -5, 7]));
    expect(Array.from(x!, (v) => Number(v.toFixed(12)))).toEqual([1, -2, 3]);
  });

  it('returns null for a matrix that is not positive definite, and leaves A and b alone', () => {
    const A = Float64Array.from([1, 2, 2, 1]); // eigenvalues 3 and -1
    const b = Float64Array.from([1, 1]);
    expect(solveCholesky(A, 2, b)).toBeNull();
    expect(solveCholesky(Float64Array.from([1, 1, 1, 1]), 2, b)).toBeNull(); // singular
    expect(Array.from(A)).toEqual([1, 2, 2, 1]);
    expect(Array.from(b)).toEqual([1, 1]);
  });

  it('names a size mismatch', () => {
    expect(() => solveCholesky(new Float64Array(3), 2, new Float64Array(2))).toThrow('A has 3 values, a 2 x 2 matrix needs 4');
    expect(() => solveCholesky(new Float64Array(4), 2, new Float64Array(3))).toThrow('b has 3 values, A has 2 rows');
  });
});
