import { checkBothClasses, checkHasPositive, checkLabels } from './check-labels';

describe('checkLabels', () => {
  it('returns the number of positive labels', () => {
    expect(checkLabels(Uint8Array.of(0, 1, 1, 0, 1))).toBe(3);
    expect(checkLabels(new Uint8Array(0))).toBe(0);
    expect(checkLabels(Uint8Array.of(1, 0), { onePer: { count: 2, of: 'X', unit: 'rows' } })).toBe(1);
  });

  it('names the wrong type, count or label exactly', () => {
    expect(() => checkLabels([0, 1] as unknown as Uint8Array)).toThrow(new Error('y must be a Uint8Array of 0/1 labels'));
    expect(() => checkLabels(Float32Array.of(0, 1) as unknown as Uint8Array, { name: 'validation y' })).toThrow(
      new Error('validation y must be a Uint8Array of 0/1 labels'),
    );
    expect(() => checkLabels(Uint8Array.of(0, 1), { onePer: { count: 3, of: 'X', unit: 'rows' } })).toThrow(
      new Error('y has 2 labels, X has 3 rows'),
    );
    expect(() => checkLabels(Uint8Array.of(0, 1, 1), { name: 'validation y', onePer: { count: 2, of: 'validation X', unit: 'rows' } })).toThrow(
      new Error('validation y has 3 labels, validation X has 2 rows'),
    );
    expect(() => checkLabels(Uint8Array.of(0, 1, 7))).toThrow(new Error('y[2] is 7, labels must be 0 or 1'));
    expect(() => checkLabels(Uint8Array.of(2), { name: 'labels' })).toThrow(new Error('labels[0] is 2, labels must be 0 or 1'));
  });
});

describe('checkBothClasses', () => {
  it('says which class is missing and what needs both', () => {
    expect(() => checkBothClasses(1, 2, 'fitting')).not.toThrow();
    expect(() => checkBothClasses(0, 5, 'fitting')).toThrow(new Error('y has only negative (0) labels, fitting needs both classes'));
    expect(() => checkBothClasses(5, 5, 'ROC AUC')).toThrow(new Error('y has only positive (1) labels, ROC AUC needs both classes'));
  });
});

describe('checkHasPositive', () => {
  it('wants one positive label, and says what needs it', () => {
    expect(() => checkHasPositive(1, 'average precision')).not.toThrow();
    expect(() => checkHasPositive(0, 'average precision')).toThrow(
      new Error('y has only negative (0) labels, average precision needs at least one positive (1)'),
    );
  });
});
