import { inverseRange, minMaxScale } from './min-max';

describe('minMaxScale', () => {
  const inv = inverseRange(10, 30);
  it('maps the training range onto [0, 1]', () => {
    expect([10, 15, 30].map((x) => minMaxScale(x, 10, inv))).toEqual([0, 0.25, 1]);
  });
  it('clips values outside the training range to the nearest end', () => {
    expect([-5, 9.99, 30.01, 1e9].map((x) => minMaxScale(x, 10, inv))).toEqual([0, 0, 1, 1]);
  });
  it('scales everything to +0 for a constant training column', () => {
    expect(inverseRange(7, 7)).toBe(0);
    expect([7, 0, 100].map((x) => Object.is(minMaxScale(x, 7, 0), 0))).toEqual([true, true, true]);
  });
  it('keeps NaN as NaN', () => {
    expect(minMaxScale(NaN, 10, inv)).toBeNaN();
  });
});
