import { medianInPlace } from './median';
import { SeededRandom } from './seeded-random';

describe('medianInPlace', () => {
  it('is the middle value, or the mean of the two middle ones (as numpy), NaN for none', () => {
    expect(medianInPlace(Float64Array.of(3, 1, 2))).toBe(2);
    expect(medianInPlace(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });

  it('reorders its argument, as its name says, keeping its values', () => {
    const values = Float64Array.of(3, 1, 2, 9, -4);
    medianInPlace(values);
    expect([...values].sort((a, b) => a - b)).toEqual([-4, 1, 2, 3, 9]);
  });

  it('is the median a sort gives, on random, sorted, reversed and constant arrays of every parity', () => {
    const random = new SeededRandom(3);
    const sorted = (v: Float64Array) => {
      const s = Float64Array.from(v).sort();
      const mid = s.length >> 1;
      return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
    };
    for (let n = 1; n <= 60; n++) {
      const cases = [
        Float64Array.from({ length: n }, () => Math.round(random.next() * 10) - 5),
        Float64Array.from({ length: n }, () => random.next() * 1e6 - 5e5),
        Float64Array.from({ length: n }, (_, i) => i),
        Float64Array.from({ length: n }, (_, i) => n - i),
        new Float64Array(n).fill(7),
      ];
      for (const values of cases) expect(medianInPlace(Float64Array.from(values))).toBe(sorted(values));
    }
    const big = Float64Array.from({ length: 100_001 }, () => random.next());
    expect(medianInPlace(Float64Array.from(big))).toBe(sorted(big));
  });
});
