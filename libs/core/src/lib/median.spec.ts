import { medianInPlace } from './median';

describe('medianInPlace', () => {
  it('is the middle value, or the mean of the two middle ones (as numpy), NaN for none', () => {
    expect(medianInPlace(Float64Array.of(3, 1, 2))).toBe(2);
    expect(medianInPlace(Float64Array.of(4, 1, 3, 2))).toBe(2.5);
    expect(medianInPlace(new Float64Array(0))).toBeNaN();
  });

  it('sorts its argument, as its name says', () => {
    const values = Float64Array.of(3, 1, 2);
    medianInPlace(values);
    expect([...values]).toEqual([1, 2, 3]);
  });
});
