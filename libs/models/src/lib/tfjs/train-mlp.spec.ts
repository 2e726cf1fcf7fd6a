import * as tf from '@tensorflow/tfjs';
import { SeededRandom } from '@purchase/core';
import type { Matrix } from '../model';
import { initBackend } from './backend';
import { trainMlpInPlace, type MlpTrainingOptions, type MlpWeights } from './train-mlp';

const SIZES = [6, 8, 4, 1];
const ROWS = 40;

/** Half the columns one-hot (the sparse path, < 50% non-zeros), or all Gaussian (the dense path). */
function data(kind: 'one-hot' | 'dense', seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new SeededRandom(seed);
  const gaussian = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const cols = SIZES[0];
  const X: Matrix = { data: new Float32Array(ROWS * cols), rows: ROWS, cols };
  const y = new Uint8Array(ROWS);
  for (let r = 0; r < ROWS; r++) {
    if (kind === 'dense') for (let c = 0; c < cols; c++) X.data[r * cols + c] = gaussian();
    else {
      X.data[r * cols] = gaussian();
      X.data[r * cols + 1 + rng.nextInt(cols - 1)] = 1;
    }
    y[r] = rng.next() < 0.4 ? 1 : 0;
  }
  return { X, y };
}

function initialWeights(seed: number): MlpWeights {
  const rng = new SeededRandom(seed);
  const layers = SIZES.slice(1).map((units, l) => units * SIZES[l]);
  return {
    sizes: SIZES,
    kernels: layers.map((n) => Float64Array.from({ length: n }, () => rng.next() - 0.5)),
    biases: SIZES.slice(1).map((units) => Float64Array.from({ length: units }, () => (rng.next() - 0.5) / 10)),
  };
}

/**
 * The same training written with tfjs autodiff and tf.train.adam, drawing the same shuffles and
 * dropout masks from a generator seeded alike (shuffle per epoch, then per batch one mask per hidden
 * layer, row-major): what trainMlpInPlace must reproduce.
 */
function tfjsReference(start: MlpWeights, X: Matrix, y: Uint8Array, o: Omit<MlpTrainingOptions, 'rng'>, seed: number) {
  const rng = new SeededRandom(seed);
  const keep = 1 - o.dropout;
  const vars = start.kernels.flatMap((k, l) => [
    tf.variable(tf.tensor2d(Float32Array.from(k), [SIZES[l], SIZES[l + 1]])),
    tf.variable(tf.tensor1d(Float32Array.from(start.biases[l]))),
  ]);
  const optimizer = tf.train.adam(o.learningRate);
  const order = Int32Array.from({ length: X.rows }, (_, i) => i);
  const losses: number[] = [];
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    rng.shuffleInPlace(order);
    let sum = 0;
    for (let startRow = 0; startRow < X.rows; startRow += o.batchSize) {
      const batch = order.subarray(startRow, Math.min(X.rows, startRow + o.batchSize));
      const n = batch.length;
      const masks = SIZES.slice(1, -1).map((units) => Float32Array.from({ length: n * units }, () => (o.dropout > 0 ? +(rng.next() < keep) / keep : 1)));
      const loss = tf.tidy(() => {
        const xb = tf.gather(tf.tensor2d(X.data, [X.rows, X.cols]), tf.tensor1d(batch, 'int32'));
        const yb = tf.tensor2d(Float32Array.from(batch, (r) => y[r]), [n, 1]);
        const wb = tf.tensor2d(Float32Array.from(batch, (r) => (o.classWeights ? o.classWeights[y[r]] : 1)), [n, 1]);
        return optimizer.minimize(() => {
          let h: tf.Tensor = xb;
          for (let l = 0; l < SIZES.length - 1; l++) {
            h = tf.add(tf.matMul(h, vars[2 * l]), vars[2 * l + 1]);
            if (l < SIZES.length - 2) h = tf.mul(tf.relu(h), tf.tensor2d(masks[l], [n, SIZES[l + 1]]));
          }
          const perRow = tf.add(tf.sub(tf.relu(h), tf.mul(h, yb)), tf.log1p(tf.exp(tf.neg(tf.abs(h)))));
          const penalty = tf.addN(vars.filter((_, i) => i % 2 === 0).map((k) => tf.mul(o.l2, tf.sum(tf.square(k)))));
          return tf.add(tf.mean(tf.mul(perRow, wb)), penalty) as tf.Scalar;
        }, true) as tf.Scalar;
      });
      sum += loss.dataSync()[0] * n;
      loss.dispose();
    }
    losses.push(sum / X.rows);
  }
  const weights = vars.map((v) => Float64Array.from(v.dataSync()));
  tf.dispose([...vars]);
  optimizer.dispose();
  return { kernels: weights.filter((_, i) => i % 2 === 0), biases: weights.filter((_, i) => i % 2 === 1), losses };
}

function maxDifference(a: Float64Array[], b: Float64Array[]): number {
  let worst = 0;
  a.forEach((values, l) => values.forEach((v, i) => (worst = Math.max(worst, Math.abs(v - b[l][i])))));
  return worst;
}

describe('trainMlpInPlace', () => {
  beforeAll(() => initBackend());

  const options = { dropout: 0, l2: 0.01, learningRate: 0.05, batchSize: 16, epochs: 6, patience: 1, classWeights: [1, 3] as [number, number] };

  it.each([
    ['one-hot input (non-zeros only), L2, class weights', 'one-hot', options],
    ['dense input, L2, class weights', 'dense', options],
    ['dropout 0.3 (same masks)', 'one-hot', { ...options, dropout: 0.3, classWeights: undefined }],
    ['dense input, dropout 0.5, no L2', 'dense', { ...options, dropout: 0.5, l2: 0 }],
    ['one batch of 40 rows cut into two chunks, dropout 0.3', 'one-hot', { ...options, batchSize: 40, dropout: 0.3 }],
  ] as const)('takes the steps of tfjs autodiff + tf.train.adam: %s', async (_name, kind, o) => {
    const { X, y } = data(kind, 1);
    const weights = initialWeights(2);
    const start = { sizes: SIZES, kernels: weights.kernels.map((k) => Float64Array.from(k)), biases: weights.biases.map((b) => Float64Array.from(b)) };
    const losses: number[] = [];
    const result = await trainMlpInPlace(weights, X, y, { ...o, rng: new SeededRandom(3), onEpoch: (_e, loss) => losses.push(loss) });
    const reference = tfjsReference(start, X, y, o, 3);
    // The weights moved (6 epochs x 3 batches at lr 0.05), and where tfjs moved them, to float32 precision.
    expect(maxDifference(weights.kernels, start.kernels)).toBeGreaterThan(0.1);
    expect(maxDifference(weights.kernels, reference.kernels)).toBeLessThan(1e-5);
    expect(maxDifference(weights.biases, reference.biases)).toBeLessThan(1e-5);
    losses.forEach((loss, i) => expect(loss).toBeCloseTo(reference.losses[i], 5));
    expect(result).toEqual({ epochs: 6, stoppedEarly: false, trainLoss: losses[5] });
  });

  it('keeps the weights of the epoch with the lowest validation loss', async () => {
    const { X, y } = data('one-hot', 4);
    const validation = data('one-hot', 5);
    const validationLosses: number[] = [];
    const weights = initialWeights(6);
    // A high learning rate on 40 rows overfits within a few epochs.
    const result = await trainMlpInPlace(weights, X, y, {
      ...options,
      learningRate: 0.3,
      epochs: 40,
      patience: 3,
      rng: new SeededRandom(7),
      validation,
      onEpoch: (_e, _train, v) => validationLosses.push(v as number),
    });
    const best = Math.min(...validationLosses);
    expect(result.stoppedEarly).toBe(true);
    expect(result.best).toEqual({ epoch: validationLosses.indexOf(best) + 1, loss: best });
    expect(result.epochs).toBe(result.best!.epoch + 3);
    // The weights are the best epoch's: one more pass over the validation rows gives its loss.
    const check = await trainMlpInPlace(weights, X, y, { ...options, learningRate: 1e-300, epochs: 1, rng: new SeededRandom(8), validation });
    expect(check.best?.loss).toBeCloseTo(best, 10);
  });

  it.each(['one-hot', 'dense'] as const)('gives the same weights, bit for bit, on 1, 2 or 3 threads (%s input, dropout, validation)', async (kind) => {
    const rng = new SeededRandom(21);
    const rows = 6_500;
    const cols = 20;
    const X: Matrix = { data: new Float32Array(rows * cols), rows, cols };
    const y = new Uint8Array(rows);
    for (let r = 0; r < rows; r++) {
      if (kind === 'dense') for (let c = 0; c < cols; c++) X.data[r * cols + c] = rng.next() - 0.5;
      else {
        X.data[r * cols] = rng.next() - 0.5;
        X.data[r * cols + 1 + rng.nextInt(cols - 1)] = 1;
      }
      y[r] = rng.next() < 0.3 + 0.4 * X.data[r * cols] ? 1 : 0;
    }
    const validation = { X: { data: X.data.subarray(0, 500 * cols), rows: 500, cols }, y: y.subarray(0, 500) };
    const sizes = [cols, 16, 8, 1];
    const fit = async (threads: number) => {
      const init = new SeededRandom(22);
      const weights: MlpWeights = {
        sizes,
        kernels: sizes.slice(1).map((units, l) => Float64Array.from({ length: units * sizes[l] }, () => init.next() - 0.5)),
        biases: sizes.slice(1).map((units) => new Float64Array(units)),
      };
      const losses: number[] = [];
      const result = await trainMlpInPlace(weights, X, y, {
        dropout: 0.2,
        l2: 1e-4,
        learningRate: 0.01,
        batchSize: 128,
        epochs: 3,
        patience: 5,
        rng: new SeededRandom(23),
        validation,
        threads,
        onEpoch: (_e, train, v) => losses.push(train, v as number),
      });
      return { weights, result, losses };
    };
    const one = await fit(1);
    expect(one.result.epochs).toBe(3);
    for (const threads of [2, 3]) expect(await fit(threads)).toEqual(one);
  });

  it('stops with the reason when the loss is no longer finite', async () => {
    const { X, y } = data('dense', 9);
    const weights = initialWeights(10);
    weights.kernels[0][0] = NaN;
    await expect(trainMlpInPlace(weights, X, y, { ...options, rng: new SeededRandom(1) })).rejects.toThrow(
      'DenseNet training diverged at epoch 1 (loss NaN); lower learningRate',
    );
  });
});
