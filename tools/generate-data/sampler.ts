import { SeededRandom } from '@purchase/core';

/**
 * The distributions the session generator draws from (uniform, normal, binomial), over the one
 * seeded generator of the workspace (SeededRandom of @purchase/core): the same seed gives the same
 * draws on every platform.
 */
export class Sampler {
  private readonly rng: SeededRandom;
  private spareNormal = NaN;

  constructor(seed: number) {
    if (!Number.isInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    this.rng = new SeededRandom(seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.rng.next();
  }

  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.next();
  }

  /** Standard normal by the polar Box-Muller method (caches the second value). */
  normal(): number {
    if (!Number.isNaN(this.spareNormal)) {
      const v = this.spareNormal;
      this.spareNormal = NaN;
      return v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.next() - 1;
      v = 2 * this.next() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return u * f;
  }

  /** Number of successes in n Bernoulli(p) trials. */
  binomial(n: number, p: number): number {
    let k = 0;
    for (let i = 0; i < n; i++) if (this.next() < p) k++;
    return k;
  }
}
