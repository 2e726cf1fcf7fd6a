import { describeValue, isObject } from './json-guards';

describe('isObject', () => {
  it('is true for objects only, not arrays or null', () => {
    expect([{}, { a: 1 }, [], null, 1, 'x', undefined].map(isObject)).toEqual([true, true, false, false, false, false, false]);
  });
});

describe('describeValue', () => {
  it('shows values as a message needs them', () => {
    expect([undefined, NaN, Infinity, 'x', 3, null, { a: [1] }].map(describeValue)).toEqual(['nothing', 'NaN', 'Infinity', '"x"', '3', 'null', '{"a":[1]}']);
  });
});
