import { solveCholesky } from './cholesky';
import { armijoLineSearch, type MinimizeOptions, type MinimizeResult, type Objective } from './minimize';

/**
 * Newton's method with a backtracking Armijo line search, for smooth convex objectives of a few
 * hundred parameters at most (the Hessian is dense and solved by Cholesky). The Hessian may be an
 * approximation (e.g. from a subsample of the data): it only sets the direction, while the
 * objective and gradient decide the steps, so the method still converges to the exact minimum.
 */

/** Writes the (approximate) Hessian of f at x into `hessian` (row-major n x n, symmetric). */
export type Hessian = (x: Float64Array, hessian: Float64Array) => void;

/**
 * tolerance: stop once the step's predicted decrease of f (half the Newton decrement g^T H^-1 g) is
 * at most tolerance * max(|f|, 1). That last step is still taken: Newton converges quadratically,
 * so it lands within about tolerance^2 of the minimum rather than tolerance.
 * Result evaluations count the objective; the Hessian is evaluated once per iteration.
 */
export type NewtonOptions = MinimizeOptions;

const MAX_BACKTRACKS = 40;

export function minimizeNewton(objective: Objective, hessian: Hessian, x0: Float64Array, options: NewtonOptions): MinimizeResult {
  const n = x0.length;
  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  const H = new Float64Array(n * n);
  let f = objective(x, g);
  let evaluations = 1;

  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    hessian(x, H);
    const d = newtonDirection(H, n, g);
    let decrement = 0;
    for (let i = 0; i < n; i++) decrement -= g[i] * d[i];
    if (!(decrement > 0)) return { x, value: f, iterations: iteration - 1, evaluations, stop: 'loss-change' };
    // The last step skips the Armijo test: a decrease this small is near the rounding level of f,
    // where comparing two values cannot judge it, and the gradient already says it descends.
    const last = decrement / 2 <= options.tolerance * Math.max(Math.abs(f), 1);

    const search = armijoLineSearch(objective, x, f, d, -decrement, 1, { xNext, gNext }, MAX_BACKTRACKS, last);
    evaluations += search.evaluations;
    if (search.value === undefined) return { x, value: f, iterations: iteration - 1, evaluations, stop: 'line-search' };
    [x, xNext] = [xNext, x];
    [g, gNext] = [gNext, g];
    f = search.value;
    options.onIteration?.(iteration, f, x);
    if (last) return { x, value: f, iterations: iteration, evaluations, stop: 'loss-change' };
  }
  return { x, value: f, iterations: options.maxIterations, evaluations, stop: 'max-iterations' };
}

/**
 * d = -H^-1 g. A Hessian that is positive semi-definite only in floating point (a flat direction)
 * gets a growing multiple of its mean diagonal added until Cholesky succeeds: a slightly damped step.
 */
function newtonDirection(H: Float64Array, n: number, g: Float64Array): Float64Array {
  const minusG = g.map((v) => -v);
  let meanDiagonal = 0;
  for (let i = 0; i < n; i++) meanDiagonal += H[i * n + i] / n;
  for (let jitter = 0; ; jitter = jitter === 0 ? 1e-12 * meanDiagonal : jitter * 100) {
    const damped = Float64Array.from(H);
    for (let i = 0; i < n; i++) damped[i * n + i] += jitter;
    const d = solveCholesky(damped, n, minusG);
    if (d !== null) return d;
    if (!(jitter < meanDiagonal)) return minusG; // not even close to positive definite: steepest descent
  }
}
