import fc from 'fast-check';
import { argsortDescending, sortDescending } from './argsort-descending';
import { SeededRandom } from '@purchase/core';

/** The obvious definition: by value descending, ties by index ascending. */
function referenceOrder(values: ArrayLike<number>): number[] {
  return Array.from({ length: values.length }, (_, i) => i).sort((a, b) => values[b] - values[a] || a - b);
}

function randomValues(n: number, seed: number, distinct: number): number[] {
  const rng = new SeededRandom(seed);
  // A few hundred distinct magnitudes of both signs, so ties, negatives and zeros all occur.
  return Array.from({ length: n }, () => (rng.nextInt(distinct) - distinct / 2) / 7.3);
}

describe('argsortDescending', () => {
  it.each([
    ['Float64, comparison path', 500, 'f64'],
    ['Float64, radix path', 5000, 'f64'],
    ['Float32, comparison path', 500, 'f32'],
    ['Float32, radix path', 5000, 'f32'],
  ] as const)('orders by value descending, ties by index (%s)', (_, n, kind) => {
    const raw = randomValues(n, n, 301);
    const values = kind === 'f32' ? Float32Array.from(raw) : Float64Array.from(raw);
    expect(Array.from(argsortDescending(values))).toEqual(referenceOrder(values));
    const { order, sorted } = sortDescending(values);
    expect(Array.from(sorted)).toEqual(Array.from(order, (i) => values[i]));
  });

  it('treats -0 and +0 as equal and orders infinities and subnormals correctly (radix path)', () => {
    const special = [0, -0, 5e-324, -5e-324, Infinity, -Infinity, 1e308, -1e308, 1, -1];
    const values = Float64Array.from({ length: 2000 }, (_, i) => special[i % special.length]);
    const order = argsortDescending(values);
    expect(Array.from(order)).toEqual(referenceOrder(values));
    expect(values[order[0]]).toBe(Infinity);
    expect(values[order[order.length - 1]]).toBe(-Infinity);
  });

  it('matches the reference order for arbitrary doubles (property, both paths)', () => {
    fc.assert(
      fc.property(fc.array(fc.double({ noNaN: true }), { minLength: 0, maxLength: 1500 }), (raw) => {
        const values = Float64Array.from(raw);
        const { order, sorted } = sortDescending(values);
        expect(Array.from(order)).toEqual(referenceOrder(values));
        // -0 comes back as +0 (they are one score); everything else bit for bit.
        expect(Array.from(sorted)).toEqual(Array.from(order, (i) => values[i] + 0));
      }),
      { numRuns: 40, seed: 7 },
    );
  });

  it('returns a permutation of 0..n-1 and leaves the input unchanged', () => {
    const values = Float32Array.from(randomValues(3000, 1, 50));
    const copy = values.slice();
    const order = argsortDescending(values);
    expect(values).toEqual(copy);
    expect(Array.from(order).sort((a, b) => a - b)).toEqual(Array.from({ length: 3000 }, (_, i) => i));
  });
});
