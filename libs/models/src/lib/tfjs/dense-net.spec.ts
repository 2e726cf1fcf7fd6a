import type { Matrix } from '../model';
import { DenseNet } from './dense-net';
import { LogisticRegression } from './logistic-regression';
import { nonLinearSessions } from '../../test-fixtures/nonlinear-sessions';
import { rocAuc } from '@purchase/core';

// Small, fast settings: a few hundred Adam steps in total per fit. Two spec files share two cores.
jest.setTimeout(30_000);

const FAST = { hiddenLayers: [16, 8], learningRate: 0.01, batchSize: 128, epochs: 12, dropout: 0.1 };

const train = nonLinearSessions(1500, 1);
const validation = nonLinearSessions(500, 2);
const test = nonLinearSessions(1000, 3);

function meanLogLoss(y: Uint8Array, p: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < y.length; i++) sum -= y[i] ? Math.log(p[i]) : Math.log(1 - p[i]);
  return sum / y.length;
}

describe('DenseNet', () => {
  it('beats logistic regression on data with an interaction and a threshold', async () => {
    const lr = new LogisticRegression();
    await lr.fit(train.X, train.y);
    const net = new DenseNet({ ...FAST, epochs: 15 });
    await net.fit(train.X, train.y, { validation });
    const lrAuc = rocAuc(test.y, lr.predictProba(test.X));
    const netAuc = rocAuc(test.y, net.predictProba(test.X));
    // A linear model cannot express "time helps returning visitors and hurts new ones".
    expect(lrAuc).toBeLessThan(0.75);
    expect(netAuc).toBeGreaterThan(lrAuc + 0.08);
    lr.dispose();
    net.dispose();
  });

  it('gives the same model for the same seed and a different one for another seed', async () => {
    const fit = async (seed: number) => {
      const net = new DenseNet({ ...FAST, epochs: 3, seed });
      await net.fit(train.X, train.y);
      const p = net.predictProba(test.X);
      net.dispose();
      return p;
    };
    const [a, b, c] = [await fit(7), await fit(7), await fit(8)];
    expect(Buffer.from(a.buffer).equals(Buffer.from(b.buffer))).toBe(true);
    expect(Buffer.from(a.buffer).equals(Buffer.from(c.buffer))).toBe(false);
  });

  it('stops early and restores the weights of the best validation epoch', async () => {
    const losses: number[] = [];
    // A learning rate this high overfits a tiny training set quickly, so validation loss turns up.
    const tiny = nonLinearSessions(120, 4);
    const net = new DenseNet({ hiddenLayers: [64, 64], dropout: 0, l2: 0, learningRate: 0.05, batchSize: 32, epochs: 60, patience: 3 });
    await net.fit(tiny.X, tiny.y, { validation, onProgress: (p) => losses.push(p.validationLoss!) });
    const training = net.describe().training!;
    const best = Math.min(...losses);
    expect(training.stoppedEarly).toBe(true);
    expect(training.epochs).toBe(losses.length);
    expect(losses.length).toBeLessThan(60);
    expect(training.bestEpoch).toBe(losses.indexOf(best) + 1);
    expect(training.epochs).toBe((training.bestEpoch as number) + 3);
    // The kept model is the best epoch's, not the last one's.
    expect(meanLogLoss(validation.y, net.predictProba(validation.X))).toBeCloseTo(best, 4);
    expect(losses[losses.length - 1]).toBeGreaterThan(best);
    net.dispose();
  });

  it("raises the minority class's probabilities with class weights", async () => {
    // All negatives and a quarter as many positives (1 in 5): balanced weights should lift the mean
    // predicted probability towards 1/2.
    const negatives = [...train.y.keys()].filter((i) => train.y[i] === 0);
    const positives = [...train.y.keys()].filter((i) => train.y[i] === 1).slice(0, negatives.length >> 2);
    const rows = [...negatives, ...positives];
    const X: Matrix = { data: new Float32Array(rows.length * 4), rows: rows.length, cols: 4 };
    const y = new Uint8Array(rows.length);
    rows.forEach((r, i) => {
      X.data.set(train.X.data.subarray(r * 4, r * 4 + 4), i * 4);
      y[i] = train.y[r];
    });
    const mean = (p: Float32Array) => p.reduce((s, v) => s + v, 0) / p.length;
    const plain = new DenseNet({ ...FAST, epochs: 8 });
    const weighted = new DenseNet({ ...FAST, epochs: 8, classWeight: 'balanced' });
    await plain.fit(X, y);
    await weighted.fit(X, y);
    expect(mean(weighted.predictProba(test.X))).toBeGreaterThan(mean(plain.predictProba(test.X)) + 0.1);
    plain.dispose();
    weighted.dispose();
  });

  it('describes itself with defaults filled in and the facts of training', async () => {
    const net = new DenseNet({ ...FAST, epochs: 2 });
    expect(net.describe()).toEqual({
      kind: 'mlp',
      inputWidth: 0,
      hyperparameters: { ...FAST, epochs: 2, l2: 1e-4, patience: 5, classWeight: null, seed: 42 },
    });
    await net.fit(train.X, train.y);
    expect(net.describe().training).toMatchObject({ rows: 1500, epochs: 2, stoppedEarly: false, backend: 'wasm' });
    expect(() => net.predictProba({ data: new Float32Array(5), rows: 1, cols: 5 })).toThrow('X has 5 columns, the model was fitted on 4');
    net.dispose();
  });

  it('rejects bad hyperparameters with the reason', () => {
    expect(() => new DenseNet({ hiddenLayers: [64, 0] })).toThrow('hiddenLayers[1] must be an integer >= 1, got 0');
    expect(() => new DenseNet({ hiddenLayers: 64 as unknown as number[] })).toThrow('hiddenLayers must be an array of layer sizes, got 64');
    expect(() => new DenseNet({ dropout: 1 })).toThrow('dropout must be a number in [0, 1), got 1');
    expect(() => new DenseNet({ learningRate: 0 })).toThrow('learningRate must be a number > 0, got 0');
    expect(() => new DenseNet({ seed: 0.5 })).toThrow('seed must be an integer, got 0.5');
    expect(() => new DenseNet({ classWeight: { negative: 1, positive: -2 } })).toThrow(
      'classWeight must be "balanced", null or {negative, positive} with both > 0, got {"negative":1,"positive":-2}',
    );
    expect(() => new DenseNet({ lerningRate: 0.01 } as object)).toThrow(
      'unknown hyperparameter "lerningRate" (known: hiddenLayers, dropout, l2, learningRate, batchSize, epochs, patience, classWeight, seed)',
    );
  });
});
