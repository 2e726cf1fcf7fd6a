import { logGamma, regularizedIncompleteBeta } from './incomplete-beta';

describe('regularizedIncompleteBeta', () => {
  it('matches closed forms', () => {
    // I_x(1, 1) = x; I_x(a, 1) = x^a; I_x(1, b) = 1 - (1 - x)^b
    for (const x of [0.01, 0.3, 0.5, 0.77, 0.999]) {
      expect(regularizedIncompleteBeta(x, 1, 1)).toBeCloseTo(x, 14);
      expect(regularizedIncompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 14);
      expect(regularizedIncompleteBeta(x, 1, 2.5)).toBeCloseTo(1 - (1 - x) ** 2.5, 14);
    }
    expect(regularizedIncompleteBeta(0, 2, 3)).toBe(0);
    expect(regularizedIncompleteBeta(1, 2, 3)).toBe(1);
  });

  it('gives Student-t tail probabilities: t = 2.228 on 10 df is the two-sided 5% point', () => {
    const df = 10;
    const t = 2.228138851986274;
    expect(regularizedIncompleteBeta(df / (df + t * t), df / 2, 0.5)).toBeCloseTo(0.05, 12);
  });

  it('rejects out-of-range arguments', () => {
    expect(() => regularizedIncompleteBeta(1.5, 1, 1)).toThrow('incomplete beta needs x in [0, 1], got 1.5');
    expect(() => regularizedIncompleteBeta(0.5, 0, 1)).toThrow('incomplete beta needs a > 0 and b > 0, got a=0, b=1');
  });
});

describe('logGamma', () => {
  it('matches factorials and Gamma(1/2) = sqrt(pi)', () => {
    expect(logGamma(1)).toBeCloseTo(0, 14);
    expect(logGamma(5)).toBeCloseTo(Math.log(24), 13);
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(101)).toBeCloseTo(363.73937555556347, 10); // ln(100!)
  });
});
