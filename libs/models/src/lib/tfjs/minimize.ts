/** What the two minimisers (minimizeNewton, minimizeLbfgs) share: the objective, options and result. */

/** Returns f(x) and writes the gradient of f at x into `gradient`. */
export type Objective = (x: Float64Array, gradient: Float64Array) => number;

export interface MinimizeOptions {
  maxIterations: number;
  /** Stop when the relative decrease of f falls to this (each method says how it measures it). */
  tolerance: number;
  onIteration?: (iteration: number, value: number, x: Float64Array) => void;
}

/** 'line-search': no step along the search direction decreases f any more (f is at its floating-point minimum). */
export type MinimizeStop = 'loss-change' | 'line-search' | 'max-iterations';

export interface MinimizeResult {
  x: Float64Array;
  value: number;
  iterations: number;
  /** Evaluations of the objective (value and gradient). */
  evaluations: number;
  stop: MinimizeStop;
}

const ARMIJO_C1 = 1e-4;

/**
 * Backtracking Armijo line search from x along d (slope = g . d < 0): halves the step from
 * `step` until f(x + step d) <= f + 1e-4 step slope, at most `maxSteps` tries, and leaves the
 * accepted point and its gradient in xNext and gNext. `acceptFirst` takes the first step as it is.
 * Returns f there (undefined when no step was accepted) and the evaluations spent.
 */
export function armijoLineSearch(
  objective: Objective,
  x: Float64Array,
  f: number,
  d: Float64Array,
  slope: number,
  step: number,
  into: { xNext: Float64Array; gNext: Float64Array },
  maxSteps: number,
  acceptFirst = false,
): { value: number | undefined; evaluations: number } {
  const { xNext, gNext } = into;
  for (let b = 0; b < maxSteps; b++) {
    for (let i = 0; i < x.length; i++) xNext[i] = x[i] + step * d[i];
    const value = objective(xNext, gNext);
    if (acceptFirst || value <= f + ARMIJO_C1 * step * slope) return { value, evaluations: b + 1 };
    step *= 0.5;
  }
  return { value: undefined, evaluations: maxSteps };
}
