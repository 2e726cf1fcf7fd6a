import { minimizeLbfgs } from './lbfgs';
import type { Objective } from './minimize';

/** Rosenbrock's banana: minimum 0 at (1, 1), reached through a long curved valley. */
const rosenbrock: Objective = (x, g) => {
  const [a, b] = x;
  g[0] = -2 * (1 - a) - 400 * a * (b - a * a);
  g[1] = 200 * (b - a * a);
  return (1 - a) ** 2 + 100 * (b - a * a) ** 2;
};

describe('minimizeLbfgs', () => {
  it('finds the minimum of the Rosenbrock function from the classic start (-1.2, 1)', () => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 200, tolerance: 1e-14 });
    expect(result.stop).not.toBe('max-iterations');
    expect(result.x[0]).toBeCloseTo(1, 6);
    expect(result.x[1]).toBeCloseTo(1, 6);
    expect(result.value).toBeLessThan(1e-12);
  });

  it('solves an ill-conditioned quadratic exactly', () => {
    // f(x) = sum_i c_i (x_i - i)^2 / 2 with curvatures spanning 1e4.
    const c = Float64Array.from([1e-2, 1, 10, 100]);
    const quadratic: Objective = (x, g) => {
      let f = 0;
      for (let i = 0; i < x.length; i++) {
        g[i] = c[i] * (x[i] - i);
        f += (c[i] * (x[i] - i) ** 2) / 2;
      }
      return f;
    };
    const result = minimizeLbfgs(quadratic, new Float64Array(4), { maxIterations: 100, tolerance: 1e-15 });
    result.x.forEach((v, i) => expect(v).toBeCloseTo(i, 5));
  });

  it('reports when it ran out of iterations', () => {
    const result = minimizeLbfgs(rosenbrock, Float64Array.from([-1.2, 1]), { maxIterations: 3, tolerance: 0 });
    expect(result).toMatchObject({ stop: 'max-iterations', iterations: 3 });
  });
});
