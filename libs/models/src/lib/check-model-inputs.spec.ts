import { NotFittedError } from '@purchase/core';
import type { BinaryClassifier, FitOptions, Matrix } from './model';
import { DenseNet } from './tfjs/dense-net';
import { LogisticRegression } from './tfjs/logistic-regression';
import { GradientBoostedTrees } from './trees/gradient-boosted-trees';
import { RandomForest } from './trees/random-forest';

const models: [string, () => BinaryClassifier][] = [
  ['GradientBoostedTrees', () => new GradientBoostedTrees({ nEstimators: 2 })],
  ['RandomForest', () => new RandomForest({ nEstimators: 2 })],
  ['LogisticRegression', () => new LogisticRegression()],
  ['DenseNet', () => new DenseNet({ epochs: 1 })],
];

const X: Matrix = { data: Float32Array.from([0, 1, 1, 0, 2, 2, 3, 1]), rows: 4, cols: 2 };
const y = Uint8Array.of(0, 1, 1, 0);

describe.each(models)('%s checks its inputs as every model does', (name, create) => {
  it('throws NotFittedError, in one wording, before fit', () => {
    const model = create();
    expect(() => model.predictProba(X)).toThrow(NotFittedError);
    expect(() => model.predictProba(X)).toThrow(`${name} is not fitted, call fit() or load a saved model first`);
  });

  it('refuses an unknown hyperparameter by name', () => {
    const Model = create().constructor as new (params: object) => BinaryClassifier;
    expect(() => new Model({ lerningRate: 0.1 })).toThrow(/^unknown hyperparameter "lerningRate" \(known: \w+(, \w+)+\)$/);
  });

  it.each<[string, Matrix, Uint8Array, FitOptions, string]>([
    ['too few rows', { data: Float32Array.of(0, 1), rows: 1, cols: 2 }, Uint8Array.of(1), {}, 'X has 1 rows, fitting needs at least 2'],
    ['a short data array', { ...X, rows: 5 }, y, {}, 'X.data has 8 values, 5 rows x 2 columns need 10'],
    ['labels of another count', X, Uint8Array.of(0, 1, 1), {}, 'y has 3 labels, X has 4 rows'],
    ['a label that is not 0 or 1', X, Uint8Array.of(0, 1, 2, 0), {}, 'y[2] is 2, labels must be 0 or 1'],
    ['one class', X, Uint8Array.of(1, 1, 1, 1), {}, 'y has only positive (1) labels, fitting needs both classes'],
    ['feature names of another count', X, y, { featureNames: ['a'] }, 'featureNames has 1 names, X has 2 columns'],
    [
      'validation data of another width',
      X,
      y,
      { validation: { X: { data: new Float32Array(3), rows: 1, cols: 3 }, y: Uint8Array.of(1) } },
      'validation X has 3 columns, X has 2',
    ],
    [
      'empty validation data',
      X,
      y,
      { validation: { X: { data: new Float32Array(0), rows: 0, cols: 2 }, y: new Uint8Array(0) } },
      'validation X has 0 rows, validation needs at least 1',
    ],
    [
      'validation labels of another count',
      X,
      y,
      { validation: { X: { data: new Float32Array(2), rows: 1, cols: 2 }, y: Uint8Array.of(0, 1) } },
      'validation y has 2 labels, validation X has 1 rows',
    ],
  ])('refuses %s with the one message for it', async (_fault, Xf, yf, options, message) => {
    await expect(create().fit(Xf, yf, options)).rejects.toThrow(new Error(message));
  });
});

describe('missing values', () => {
  const withNaN: Matrix = { ...X, data: Float32Array.from([0, 1, NaN, 0, 2, 2, 3, 1]) };

  it.each(models.slice(2))('%s refuses them, naming the cell', async (_name, create) => {
    await expect(create().fit(withNaN, y)).rejects.toThrow(new Error('X[1, 0] is NaN, values must be finite (impute missing values first)'));
  });

  it.each(models.slice(0, 2))('%s takes them', async (_name, create) => {
    const model = create();
    await model.fit(withNaN, y);
    expect(model.predictProba(withNaN)).toHaveLength(4);
  });
});
