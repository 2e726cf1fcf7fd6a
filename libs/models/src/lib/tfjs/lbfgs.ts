/**
 * Limited-memory BFGS for smooth unconstrained minimisation over Float64Array parameters
 * (the optimizer scikit-learn's `lbfgs` solver uses, here with a backtracking Armijo line search,
 * which is enough for the convex objectives it serves).
 */
import { armijoLineSearch, type MinimizeOptions, type MinimizeResult, type Objective } from './minimize';

/** tolerance: stop when (f_prev - f) / max(|f_prev|, |f|, 1) <= tolerance on two iterations in a row. */
export interface LbfgsOptions extends MinimizeOptions {
  /** Number of (s, y) correction pairs kept. */
  memory?: number;
}

const MAX_BACKTRACKS = 60;

export function minimizeLbfgs(objective: Objective, x0: Float64Array, options: LbfgsOptions): MinimizeResult {
  const n = x0.length;
  const m = options.memory ?? 10;
  const S = Array.from({ length: m }, () => new Float64Array(n));
  const Y = Array.from({ length: m }, () => new Float64Array(n));
  const rho = new Float64Array(m);
  const alpha = new Float64Array(m);
  let stored = 0; // pairs held
  let newest = -1; // ring index of the newest pair

  let x = Float64Array.from(x0);
  let g = new Float64Array(n);
  let xNext = new Float64Array(n);
  let gNext = new Float64Array(n);
  const d = new Float64Array(n);
  let f = objective(x, g);
  let evaluations = 1;
  let quietIterations = 0;

  for (let iteration = 1; iteration <= options.maxIterations; iteration++) {
    // Two-loop recursion: d = -H g.
    for (let i = 0; i < n; i++) d[i] = -g[i];
    for (let k = 0; k < stored; k++) {
      const j = (newest - k + m) % m;
      alpha[j] = rho[j] * dot(S[j], d);
      axpy(-alpha[j], Y[j], d);
    }
    let step = 1;
    if (stored > 0) {
      const gamma = dot(S[newest], Y[newest]) / dot(Y[newest], Y[newest]);
      for (let i = 0; i < n; i++) d[i] *= gamma;
    } else {
      step = Math.min(1, 1 / Math.sqrt(dot(g, g))); // first step: unit length along -g
    }
    for (let k = stored - 1; k >= 0; k--) {
      const j = (newest - k + m) % m;
      const beta = rho[j] * dot(Y[j], d);
      axpy(alpha[j] - beta, S[j], d);
    }
    let slope = dot(g, d);
    if (!(slope < 0)) {
      // Curvature information went stale: restart from steepest descent.
      stored = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i];
      slope = -dot(g, g);
      if (slope === 0) return { x, value: f, iterations: iteration - 1, evaluations, stop: 'loss-change' };
      step = Math.min(1, 1 / Math.sqrt(-slope));
    }

    const search = armijoLineSearch(objective, x, f, d, slope, step, { xNext, gNext }, MAX_BACKTRACKS);
    evaluations += search.evaluations;
    if (search.value === undefined) return { x, value: f, iterations: iteration - 1, evaluations, stop: 'line-search' };
    const fNext = search.value;

    const slot = (newest + 1) % m;
    let sy = 0;
    let yy = 0;
    for (let i = 0; i < n; i++) {
      const s = xNext[i] - x[i];
      const yv = gNext[i] - g[i];
      S[slot][i] = s;
      Y[slot][i] = yv;
      sy += s * yv;
      yy += yv * yv;
    }
    if (sy > 1e-12 * yy && sy > 0) {
      rho[slot] = 1 / sy;
      newest = slot;
      stored = Math.min(stored + 1, m);
    } else if (stored === m) {
      stored--; // the rejected pair overwrote the oldest one
    }

    const change = (f - fNext) / Math.max(Math.abs(f), Math.abs(fNext), 1);
    [x, xNext] = [xNext, x];
    [g, gNext] = [gNext, g];
    f = fNext;
    options.onIteration?.(iteration, f, x);
    quietIterations = change <= options.tolerance ? quietIterations + 1 : 0;
    if (quietIterations >= 2) return { x, value: f, iterations: iteration, evaluations, stop: 'loss-change' };
  }
  return { x, value: f, iterations: options.maxIterations, evaluations, stop: 'max-iterations' };
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** y += a * x */
function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i] += a * x[i];
}
