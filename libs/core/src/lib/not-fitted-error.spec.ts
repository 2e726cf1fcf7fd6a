import { checkFitted, NotFittedError } from './not-fitted-error';

describe('checkFitted', () => {
  it('returns the fitted state', () => {
    const state = { trees: 3 };
    expect(checkFitted(state, 'GradientBoostedTrees')).toBe(state);
    expect(checkFitted(0, 'DenseNet')).toBe(0);
  });

  it('throws one error type, in one wording, without a state', () => {
    expect(() => checkFitted(null, 'RandomForest')).toThrow(NotFittedError);
    expect(() => checkFitted(undefined, 'LogisticRegression')).toThrow(
      new Error('LogisticRegression is not fitted, call fit() or load a saved model first'),
    );
    expect(() => checkFitted(undefined, 'DenseNet', { disposed: true })).toThrow(
      new Error('DenseNet was disposed, call fit() or load a saved model first'),
    );
  });

  it('is an Error that names itself and the model', () => {
    const error = new NotFittedError('RandomForest');
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe('NotFittedError');
    expect(error.model).toBe('RandomForest');
    expect(String(error)).toBe('NotFittedError: RandomForest is not fitted, call fit() or load a saved model first');
  });
});
