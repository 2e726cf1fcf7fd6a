/**
 * xoshiro128** (Blackman & Vigna): a small, fast 32-bit generator, its state filled by splitmix32
 * so nearby seeds give unrelated streams. Only 32-bit integer arithmetic, so a seed gives the same
 * stream on every platform. The one seeded generator of the workspace: the models (row subsampling,
 * bootstrap, feature subsets, shuffling), evaluation (bootstrap intervals, permutation importance)
 * and the benchmarks draw from it. One bounded integer (nextInt, unbiased) and one shuffle.
 */
export class SeededRandom {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  // NaN never equals a bound, so the first call validates and computes the limit.
  private bound = NaN;
  private limit = 0;

  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new Error(`seed must be an integer, got ${seed}`);
    let x = seed >>> 0;
    const splitmix32 = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
  }

  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.nextUint32() / 4294967296;
  }

  /**
   * Uniform integer in [0, n) for 1 <= n <= 2^32: draws at or above the largest multiple of n are
   * redrawn, so there is no modulo bias. The limit is cached for repeated bounds, and the remainder
   * is taken by division (exact here) because `%` on numbers above 2^31 is a slow float modulo.
   */
  nextInt(n: number): number {
    if (n !== this.bound) {
      if (!Number.isInteger(n) || n < 1 || n > 4294967296) {
        throw new Error(`nextInt bound must be an integer in [1, 2^32], got ${n}`);
      }
      this.bound = n;
      this.limit = 4294967296 - (4294967296 % n);
    }
    for (;;) {
      const u = this.nextUint32();
      if (u < this.limit) return u - Math.floor(u / n) * n;
    }
  }

  /** Shuffles `values` in place (Fisher-Yates). */
  shuffleInPlace(values: { length: number; [i: number]: number }): void {
    for (let i = values.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const v = values[i];
      values[i] = values[j];
      values[j] = v;
    }
  }

  /**
   * Writes k distinct values of [0, n) into `out` (ascending) by a partial Fisher-Yates shuffle of
   * `pool`, a scratch array of length >= n. Returns k.
   */
  sampleWithoutReplacement(n: number, k: number, pool: Int32Array, out: Int32Array): number {
    for (let i = 0; i < n; i++) pool[i] = i;
    for (let i = 0; i < k; i++) {
      const j = i + this.nextInt(n - i);
      const v = pool[j];
      pool[j] = pool[i];
      pool[i] = v;
      out[i] = v;
    }
    out.subarray(0, k).sort();
    return k;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
