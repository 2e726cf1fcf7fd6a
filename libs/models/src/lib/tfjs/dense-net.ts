import * as tf from '@tensorflow/tfjs';
import { checkHyperparameters, checkNumber, describeValue, SeededRandom } from '@purchase/core';
import { checkFitInputs } from '../check-model-inputs';
import type { FitOptions, Matrix } from '../model';
import { initBackend } from './backend';
import { TFJS_INPUTS, TfjsClassifier, type FittedNetwork } from './tfjs-classifier';

/** 'balanced' weighs each class by n / (2 * count), as scikit-learn's class_weight='balanced'. */
export type ClassWeight = 'balanced' | { negative: number; positive: number };

export interface DenseNetParams {
  /** Units of each hidden ReLU layer, input side first. */
  hiddenLayers?: number[];
  /** Dropout rate after each hidden layer (0 = none). */
  dropout?: number;
  /** L2 penalty on every kernel: l2 * sum(w^2) is added to the loss (Keras semantics). */
  l2?: number;
  /** Adam's learning rate. */
  learningRate?: number;
  batchSize?: number;
  /** Upper bound on epochs; early stopping may end training sooner. */
  epochs?: number;
  /** With validation data: stop after this many epochs without a lower validation loss, keeping the best weights. */
  patience?: number;
  /** Per-class loss weights; null trains unweighted. */
  classWeight?: ClassWeight | null;
  /** Seeds weight initialisation, shuffling and dropout: the same seed gives the same model on the same backend. */
  seed?: number;
}

const DEFAULTS: Required<DenseNetParams> = {
  hiddenLayers: [64, 32],
  dropout: 0.2,
  l2: 1e-4,
  learningRate: 1e-3,
  batchSize: 64,
  epochs: 50,
  patience: 5,
  classWeight: null,
  seed: 42,
};

/**
 * A multilayer perceptron for binary classification: Dense(ReLU) layers with dropout, a Dense(1,
 * sigmoid) output, L2 on the kernels, trained by Adam on the (optionally class-weighted) log loss.
 *
 * Training runs its own loop rather than `model.fit`, because `fit` shuffles with Math.random and a
 * seeded Dropout layer repeats one mask on every batch; here both draw from one seeded generator.
 * The Dropout layers still appear in the saved topology (identity at inference).
 */
export class DenseNet extends TfjsClassifier {
  readonly kind = 'mlp' as const;
  protected readonly modelName = 'DenseNet';
  private readonly params: Required<DenseNetParams>;

  constructor(params: DenseNetParams = {}) {
    super();
    this.params = hyperparametersFrom(params);
  }

  /** Rebuilds a saved model around its loaded network (see loadTfjsModel). */
  static fromNetwork(params: DenseNetParams, fitted: FittedNetwork): DenseNet {
    const model = new DenseNet(params);
    model.setFitted(fitted);
    return model;
  }

  protected hyperparameters(): Record<string, unknown> {
    return { ...this.params, hiddenLayers: [...this.params.hiddenLayers] };
  }

  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<void> {
    const positives = checkFitInputs(X, y, options, TFJS_INPUTS);
    const backend = await initBackend();
    const p = this.params;
    const rng = new SeededRandom(p.seed);
    const { network, dense } = buildNetwork(X.cols, p, rng);
    const weights = classWeights(p.classWeight, positives, X.rows);
    const optimizer = tf.train.adam(p.learningRate);
    const xs = tf.tensor2d(X.data, [X.rows, X.cols], 'float32');
    const ys = tf.tensor2d(Float32Array.from(y), [X.rows, 1]);
    const ws = weights && tf.tensor2d(Float32Array.from(y, (label) => weights[label]), [X.rows, 1]);
    const validation = options.validation && {
      xs: tf.tensor2d(options.validation.X.data, [options.validation.X.rows, options.validation.X.cols], 'float32'),
      ys: tf.tensor2d(Float32Array.from(options.validation.y), [options.validation.X.rows, 1]),
    };
    const variables = network.trainableWeights.map((w) => w.read() as tf.Variable);
    const order = Int32Array.from({ length: X.rows }, (_, i) => i);
    let best: { loss: number; epoch: number; weights: tf.Tensor[] } | undefined;
    let epochsRun = 0;
    let trainLoss = NaN;
    let stoppedEarly = false;
    try {
      for (let epoch = 1; epoch <= p.epochs; epoch++) {
        // Seeded: tfjs's own shuffle draws from Math.random.
        rng.shuffleInPlace(order);
        let lossSum: tf.Tensor = tf.scalar(0);
        for (let start = 0; start < X.rows; start += p.batchSize) {
          const batch = order.subarray(start, Math.min(X.rows, start + p.batchSize));
          const dropoutSeed = rng.nextUint32();
          const next = tf.tidy(() => {
            const index = tf.tensor1d(batch, 'int32');
            const xb = tf.gather(xs, index);
            const yb = tf.gather(ys, index);
            const wb = ws && tf.gather(ws, index);
            const loss = optimizer.minimize(
              () => tf.addN([crossEntropyOfLogits(logits(dense, xb, p.dropout, dropoutSeed), yb, wb), ...penalties(dense)]) as tf.Scalar,
              true,
              variables,
            ) as tf.Scalar;
            return tf.add(lossSum, tf.mul(loss, batch.length));
          });
          lossSum.dispose();
          lossSum = next;
        }
        trainLoss = (await lossSum.data())[0] / X.rows;
        lossSum.dispose();
        epochsRun = epoch;
        if (!Number.isFinite(trainLoss)) {
          throw new Error(`DenseNet training diverged at epoch ${epoch} (loss ${trainLoss}); lower learningRate`);
        }
        const validationLoss = validation && (await evaluate(dense, validation.xs, validation.ys));
        options.onProgress?.({ step: epoch, totalSteps: p.epochs, trainLoss, validationLoss });
        if (validationLoss === undefined) continue;
        if (best === undefined || validationLoss < best.loss) {
          best?.weights.forEach((w) => w.dispose());
          best = { loss: validationLoss, epoch, weights: network.getWeights().map((w) => w.clone()) };
        } else if (epoch - best.epoch >= p.patience) {
          stoppedEarly = true;
          break;
        }
      }
      if (best !== undefined) network.setWeights(best.weights);
    } catch (err) {
      network.dispose();
      throw err;
    } finally {
      tf.dispose([xs, ys, ...(ws ? [ws] : []), ...(validation ? [validation.xs, validation.ys] : [])]);
      best?.weights.forEach((w) => w.dispose());
      optimizer.dispose();
    }
    const training: Record<string, unknown> = { rows: X.rows, epochs: epochsRun, stoppedEarly, trainLoss, backend };
    if (best !== undefined) Object.assign(training, { bestEpoch: best.epoch, validationLoss: best.loss });
    this.setFitted({
      network,
      inputWidth: X.cols,
      featureNames: options.featureNames && [...options.featureNames],
      training,
    });
  }
}

function hyperparametersFrom(params: DenseNetParams): Required<DenseNetParams> {
  const h = checkHyperparameters(params, DEFAULTS);
  if (!Array.isArray(h.hiddenLayers)) throw new Error(`hiddenLayers must be an array of layer sizes, got ${describeValue(h.hiddenLayers)}`);
  h.hiddenLayers.forEach((units, i) => checkNumber(`hiddenLayers[${i}]`, units, { min: 1, integer: true }));
  checkNumber('dropout', h.dropout, { min: 0, max: 1, maxExclusive: true });
  checkNumber('l2', h.l2, { min: 0 });
  checkNumber('learningRate', h.learningRate, { min: 0, minExclusive: true });
  checkNumber('batchSize', h.batchSize, { min: 1, integer: true });
  checkNumber('epochs', h.epochs, { min: 1, integer: true });
  checkNumber('patience', h.patience, { min: 1, integer: true });
  checkNumber('seed', h.seed, { integer: true });
  const cw = h.classWeight;
  if (cw !== null && cw !== 'balanced' && !(cw.negative > 0 && cw.positive > 0)) {
    throw new Error(`classWeight must be "balanced", null or {negative, positive} with both > 0, got ${describeValue(cw)}`);
  }
  // A copy: the defaults' array, or the caller's, must not change with this model.
  return { ...h, hiddenLayers: [...h.hiddenLayers] };
}

/** Loss weight of class 0 and class 1, or undefined for an unweighted loss. */
function classWeights(cw: ClassWeight | null, positives: number, rows: number): [number, number] | undefined {
  if (cw === null) return undefined;
  if (cw === 'balanced') return [rows / (2 * (rows - positives)), rows / (2 * positives)];
  return [cw.negative, cw.positive];
}

function buildNetwork(cols: number, p: Required<DenseNetParams>, rng: SeededRandom) {
  const network = tf.sequential({ name: 'mlp' });
  const dense: tf.layers.Layer[] = [];
  const regularizer = p.l2 > 0 ? { kernelRegularizer: tf.regularizers.l2({ l2: p.l2 }) } : {};
  const first = (i: number) => (i === 0 ? { inputShape: [cols] } : {});
  p.hiddenLayers.forEach((units, i) => {
    const layer = tf.layers.dense({
      name: `hidden_${i + 1}`,
      units,
      activation: 'relu',
      kernelInitializer: tf.initializers.heUniform({ seed: rng.nextUint32() }),
      ...regularizer,
      ...first(i),
    });
    network.add(layer);
    dense.push(layer);
    if (p.dropout > 0) network.add(tf.layers.dropout({ name: `dropout_${i + 1}`, rate: p.dropout }));
  });
  const output = tf.layers.dense({
    name: 'output',
    units: 1,
    activation: 'sigmoid',
    kernelInitializer: tf.initializers.glorotUniform({ seed: rng.nextUint32() }),
    ...regularizer,
    ...first(p.hiddenLayers.length),
  });
  network.add(output);
  dense.push(output);
  return { network, dense };
}

/**
 * The network's pre-sigmoid output, computed layer by layer so that dropout (when `dropoutSeed` is
 * given) draws a fresh seeded mask per step, and the loss can use the logits (numerically stable).
 */
function logits(dense: tf.layers.Layer[], x: tf.Tensor, dropout: number, dropoutSeed?: number): tf.Tensor {
  let h = x;
  for (let i = 0; i < dense.length - 1; i++) {
    h = dense[i].apply(h) as tf.Tensor;
    if (dropoutSeed !== undefined && dropout > 0) h = tf.dropout(h, dropout, undefined, dropoutSeed + i);
  }
  const [kernel, bias] = dense[dense.length - 1].trainableWeights.map((w) => w.read());
  return tf.add(tf.matMul(h, kernel), bias);
}

/** Mean (optionally weighted) binary cross-entropy from logits z: max(z, 0) - z y + log(1 + e^-|z|). */
function crossEntropyOfLogits(z: tf.Tensor, y: tf.Tensor, weights?: tf.Tensor): tf.Scalar {
  const perRow = tf.add(tf.sub(tf.relu(z), tf.mul(z, y)), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
  return tf.mean(weights ? tf.mul(perRow, weights) : perRow);
}

/** The kernels' L2 terms, from each layer's own configured regularizer. */
function penalties(dense: tf.layers.Layer[]): tf.Scalar[] {
  return dense.flatMap((layer) => layer.calculateLosses());
}

/** Unweighted mean log loss on held-out data, without dropout. */
async function evaluate(dense: tf.layers.Layer[], xs: tf.Tensor, ys: tf.Tensor): Promise<number> {
  const loss = tf.tidy(() => crossEntropyOfLogits(logits(dense, xs, 0), ys));
  try {
    return (await loss.data())[0];
  } finally {
    loss.dispose();
  }
}
