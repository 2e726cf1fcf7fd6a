import type { Objective } from './minimize';
import { minimizeNewton, type Hessian } from './newton';

/** Rosenbrock's banana: minimum 0 at (1, 1), reached through a long curved valley; not convex. */
const rosenbrock: Objective = (x, g) => {
  const [a, b] = x;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};
const rosenbrockHessian: Hessian = (x, H) => {
  const [a, b] = x;
  H.set([2 - 400 * (b - 3 * a * a), -400 * a, -400 * a, 200]);
};

describe('minimizeNewton', () => {
  it('finds the minimum of the Rosenbrock function from the classic start (-1.2, 1)', () => {
    const result = minimizeNewton(rosenbrock, rosenbrockHessian, Float64Array.from([-1.2, 1]), { maxIterations: 100, tolerance: 1e-14 });
    expect(result.stop).toBe('loss-change');
    expect(result.x[0]).toBeCloseTo(1, 10);
    expect(result.x[1]).toBeCloseTo(1, 10);
    expect(result.iterations).toBeLessThan(40);
  });

  it('solves an ill-conditioned quadratic (curvatures 1e-6 to 1e3) in one step, then stops at a zero gradient', () => {
    const c = Float64Array.from([1e-6, 1, 1e3]);
    const quadratic: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        g[i] = c[i] * (x[i] - i);
        f += (c[i] * (x[i] - i) ** 2) / 2;
      }
      return f;
    };
    const hessian: Hessian = (_x, H) => {
      H.fill(0);
      c.forEach((v, i) => (H[i * 3 + i] = v));
    };
    const progress: number[] = [];
    const result = minimizeNewton(quadratic, hessian, new Float64Array(3), { maxIterations: 10, tolerance: 1e-12, onIteration: (i) => progress.push(i) });
    result.x.forEach((v, i) => expect(v).toBeCloseTo(i, 12));
    expect(result).toMatchObject({ iterations: 1, evaluations: 2, stop: 'loss-change' });
    expect(progress).toEqual([1]);
  });

  it('still converges with an approximate Hessian (it only sets the direction)', () => {
    // f = sum (x_i - 1)^4 / 4 + (x_i - 1)^2 / 2, Hessian given as twice the quadratic part only.
    const f: Objective = (x, g) => {
      let v = 0;
      x.forEach((xi, i) => {
        const d = xi - 1;
        g[i] = d ** 3 + d;
        v += d ** 4 / 4 + d ** 2 / 2;
      });
      return v;
    };
    const rough: Hessian = (_x, H) => H.set([2, 0, 0, 2]);
    const result = minimizeNewton(f, rough, Float64Array.from([3, -2]), { maxIterations: 200, tolerance: 1e-14 });
    expect(result.stop).toBe('loss-change');
    result.x.forEach((v) => expect(v).toBeCloseTo(1, 6));
  });

  it('reports when it ran out of iterations', () => {
    const result = minimizeNewton(rosenbrock, rosenbrockHessian, Float64Array.from([-1.2, 1]), { maxIterations: 3, tolerance: 0 });
    expect(result).toMatchObject({ stop: 'max-iterations', iterations: 3 });
  });
});
