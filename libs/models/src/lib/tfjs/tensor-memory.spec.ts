import * as tf from '@tensorflow/tfjs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { initBackend } from './backend';
import { DenseNet } from './dense-net';
import { loadTfjsModel } from './load-tfjs-model';
import { LogisticRegression } from './logistic-regression';
import { nonLinearSessions } from '../../test-fixtures/nonlinear-sessions';

// Two spec files share two cores: allow for a slow neighbour.
jest.setTimeout(30_000);

describe('tensor memory', () => {
  const train = nonLinearSessions(300, 21);
  const validation = nonLinearSessions(100, 22);
  let dir: string;

  beforeAll(async () => {
    await initBackend();
    dir = await mkdtemp(path.join(tmpdir(), 'tfjs-memory-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('returns to its starting tensor count after many fits, predictions, saves, loads and disposals', async () => {
    const start = tf.memory().numTensors;
    const lr = new LogisticRegression();
    const net = new DenseNet({ hiddenLayers: [8, 4], epochs: 4, patience: 1, batchSize: 50, classWeight: 'balanced' });
    for (let round = 0; round < 3; round++) {
      await lr.fit(train.X, train.y, { validation }); // refitting replaces (and releases) the previous network
      await net.fit(train.X, train.y, { validation });
      for (let i = 0; i < 5; i++) {
        lr.predictProba(validation.X);
        net.predictProba(validation.X);
      }
      expect(lr.coefficients).toHaveLength(4);
      await net.save(dir);
      const loaded = await loadTfjsModel(dir);
      loaded.predictProba(validation.X);
      loaded.dispose();
    }
    expect(tf.memory().numTensors).toBeGreaterThan(start); // the two fitted networks are alive...
    lr.dispose();
    net.dispose();
    expect(tf.memory().numTensors).toBe(start); // ...and nothing else
  });

  it('releases everything when training fails part-way', async () => {
    const start = tf.memory().numTensors;
    const net = new DenseNet({ hiddenLayers: [8], epochs: 5 });
    const stop = () => {
      throw new Error('stopped by the caller');
    };
    await expect(net.fit(train.X, train.y, { validation, onProgress: stop })).rejects.toThrow('stopped by the caller');
    expect(() => net.predictProba(validation.X)).toThrow('DenseNet is not fitted, call fit() or load a saved model first');
    expect(tf.memory().numTensors).toBe(start);
  });
});
