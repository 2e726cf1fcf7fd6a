import { fixture } from '../test-fixtures/sklearn-fixture';
import { quantileOfSorted } from './quantile';

describe('quantileOfSorted', () => {
  const sorted = Float64Array.from(fixture.percentile.sample).sort();

  it.each(fixture.percentile.expected.map((e) => [e.q, e.value]))('matches numpy.percentile at q = %s bit for bit', (q, value) => {
    expect(quantileOfSorted(sorted, q)).toBe(value);
  });

  it('interpolates linearly between ranks, by hand', () => {
    expect(quantileOfSorted([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantileOfSorted([10, 20], 0.25)).toBe(12.5);
    expect(quantileOfSorted([7], 0.9)).toBe(7);
  });

  it('rejects an empty array or q outside [0, 1]', () => {
    expect(() => quantileOfSorted([], 0.5)).toThrow('quantile of an empty array');
    expect(() => quantileOfSorted([1], 1.5)).toThrow('quantile q must be in [0, 1], got 1.5');
  });
});
