import { checkBoolean, checkChoice, checkNumber } from './check-option';

describe('checkNumber', () => {
  it('returns a number inside its range', () => {
    expect(checkNumber('learningRate', 1, { min: 0, max: 1, minExclusive: true })).toBe(1);
    expect(checkNumber('maxDepth', 0, { min: 0, integer: true })).toBe(0);
    expect(checkNumber('seed', -3, { integer: true })).toBe(-3);
  });

  it('names the option, what it must be and what it got', () => {
    expect(() => checkNumber('nEstimators', 2.5, { min: 1, integer: true })).toThrow(new Error('nEstimators must be an integer >= 1, got 2.5'));
    expect(() => checkNumber('C', 0, { min: 0, minExclusive: true })).toThrow(new Error('C must be a number > 0, got 0'));
    expect(() => checkNumber('learningRate', 0, { min: 0, max: 1, minExclusive: true })).toThrow(
      new Error('learningRate must be a number in (0, 1], got 0'),
    );
    expect(() => checkNumber('dropout', 1, { min: 0, max: 1, maxExclusive: true })).toThrow(new Error('dropout must be a number in [0, 1), got 1'));
    expect(() => checkNumber('level', 1, { min: 0, max: 1, minExclusive: true, maxExclusive: true })).toThrow(
      new Error('level must be a number in (0, 1), got 1'),
    );
    expect(() => checkNumber('share', 2, { max: 1 })).toThrow(new Error('share must be a number <= 1, got 2'));
    expect(() => checkNumber('seed', 1.5, { integer: true })).toThrow(new Error('seed must be an integer, got 1.5'));
  });

  it('refuses what is not a finite number, shown as it is', () => {
    expect(() => checkNumber('l2', NaN, { min: 0 })).toThrow(new Error('l2 must be a number >= 0, got NaN'));
    expect(() => checkNumber('l2', Infinity, { min: 0 })).toThrow(new Error('l2 must be a number >= 0, got Infinity'));
    expect(() => checkNumber('l2', '0.1', { min: 0 })).toThrow(new Error('l2 must be a number >= 0, got "0.1"'));
    expect(() => checkNumber('costs.value', undefined, { min: 0 })).toThrow(new Error('costs.value must be a number >= 0, got nothing'));
  });
});

describe('checkChoice', () => {
  it('returns a listed choice and lists them all otherwise', () => {
    expect(checkChoice('growPolicy', 'lossguide', ['depthwise', 'lossguide'])).toBe('lossguide');
    expect(() => checkChoice('growPolicy', 'best', ['depthwise', 'lossguide'])).toThrow(
      new Error('growPolicy must be one of "depthwise", "lossguide", got "best"'),
    );
  });
});

describe('checkBoolean', () => {
  it('takes true or false only', () => {
    expect(checkBoolean('bootstrap', false)).toBe(false);
    expect(() => checkBoolean('bootstrap', 'yes')).toThrow(new Error('bootstrap must be true or false, got "yes"'));
    expect(() => checkBoolean('fitIntercept', 1)).toThrow(new Error('fitIntercept must be true or false, got 1'));
  });
});
