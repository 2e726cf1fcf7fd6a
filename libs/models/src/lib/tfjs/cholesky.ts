/**
 * Solves A x = b for a symmetric positive definite A (row-major n x n; only its lower triangle is
 * read) by Cholesky factorisation, A = L L^T. Returns null when A is not positive definite (a pivot
 * is not > 0), so the caller can regularise and retry.
 */
export function solveCholesky(A: Float64Array, n: number, b: Float64Array): Float64Array | null {
  if (A.length !== n * n) throw new Error(`A has ${A.length} values, a ${n} x ${n} matrix needs ${n * n}`);
  if (b.length !== n) throw new Error(`b has ${b.length} values, A has ${n} rows`);
  const L = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let s = A[i * n + j];
      for (let k = 0; k < j; k++) s -= L[i * n + k] * L[j * n + k];
      if (i !== j) {
        L[i * n + j] = s / L[j * n + j];
      } else if (s > 0) {
        L[i * n + i] = Math.sqrt(s);
      } else {
        return null;
      }
    }
  }
  // L z = b, then L^T x = z.
  const x = Float64Array.from(b);
  for (let i = 0; i < n; i++) {
    let s = x[i];
    for (let k = 0; k < i; k++) s -= L[i * n + k] * x[k];
    x[i] = s / L[i * n + i];
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = x[i];
    for (let k = i + 1; k < n; k++) s -= L[k * n + i] * x[k];
    x[i] = s / L[i * n + i];
  }
  return x;
}
