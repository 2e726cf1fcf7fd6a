import { checkHyperparameters } from './check-hyperparameters';

const DEFAULTS = { learningRate: 0.1, maxDepth: 6 };

describe('checkHyperparameters', () => {
  it('lays the given values over the defaults; an undefined one keeps its default', () => {
    expect(checkHyperparameters({ maxDepth: 3 }, DEFAULTS)).toEqual({ learningRate: 0.1, maxDepth: 3 });
    expect(checkHyperparameters({ learningRate: undefined }, DEFAULTS)).toEqual(DEFAULTS);
    expect(DEFAULTS).toEqual({ learningRate: 0.1, maxDepth: 6 });
  });

  it('refuses a name it does not know, listing the known ones', () => {
    expect(() => checkHyperparameters({ lerningRate: 0.2 } as object, DEFAULTS)).toThrow(
      new Error('unknown hyperparameter "lerningRate" (known: learningRate, maxDepth)'),
    );
  });
});
