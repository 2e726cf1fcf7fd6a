import * as tf from '@tensorflow/tfjs';
import { checkHyperparameters, checkNumber, describeValue, SeededRandom } from '@purchase/core';
import { checkFitInputs } from '../check-model-inputs';
import type { FitOptions, Matrix } from '../model';
import { initBackend } from './backend';
import { TFJS_INPUTS, TfjsClassifier, type FittedNetwork } from './tfjs-classifier';
import { trainMlpInPlace, type MlpTrainingResult, type MlpWeights } from './train-mlp';

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

/** What a DenseNet is built with: its hyperparameters, and the threads its fit runs on. */
export interface DenseNetOptions extends DenseNetParams {
  /**
   * Threads to fit on: not a hyperparameter (the weights are the same for any number of threads).
   * Default: all cores where a batch holds enough work to share (see train-mlp.ts).
   */
  threads?: number;
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
 * The network is a tfjs layers model (it predicts, saves and loads as one), initialised by the
 * seeded Keras initialisers; training runs over typed arrays in trainMlpInPlace (see there for why
 * not tfjs's fit, which also shuffles with Math.random and repeats one seeded dropout mask on every
 * batch) and writes the trained weights back. Shuffling and dropout draw from the one seeded
 * generator. The Dropout layers still appear in the saved topology (identity at inference).
 * `training.backend` is the tfjs backend that holds the network and predicts.
 */
export class DenseNet extends TfjsClassifier {
  readonly kind = 'mlp' as const;
  protected readonly modelName = 'DenseNet';
  private readonly params: Required<DenseNetParams>;
  private readonly threads: number | undefined;

  constructor(options: DenseNetOptions = {}) {
    super();
    const { threads, ...params } = options;
    this.threads = threads === undefined ? undefined : checkNumber('threads', threads, { min: 1, integer: true });
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
    const network = buildNetwork(X.cols, p, rng);
    let result: MlpTrainingResult;
    try {
      const weights = readWeights(network, [X.cols, ...p.hiddenLayers, 1]);
      result = await trainMlpInPlace(weights, X, y, {
        dropout: p.dropout,
        l2: p.l2,
        learningRate: p.learningRate,
        batchSize: p.batchSize,
        epochs: p.epochs,
        patience: p.patience,
        classWeights: classWeights(p.classWeight, positives, X.rows),
        rng,
        validation: options.validation,
        ...(this.threads === undefined ? {} : { threads: this.threads }),
        onEpoch: options.onProgress && ((step, trainLoss, validationLoss) => options.onProgress?.({ step, totalSteps: p.epochs, trainLoss, validationLoss })),
      });
      writeWeights(network, weights);
    } catch (err) {
      network.dispose();
      throw err;
    }
    const training: Record<string, unknown> = { rows: X.rows, epochs: result.epochs, stoppedEarly: result.stoppedEarly, trainLoss: result.trainLoss, backend };
    if (result.best !== undefined) Object.assign(training, { bestEpoch: result.best.epoch, validationLoss: result.best.loss });
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

/** The tfjs network, its kernels drawn by the seeded Keras initialisers; Dropout layers are identities at inference. */
function buildNetwork(cols: number, p: Required<DenseNetParams>, rng: SeededRandom): tf.Sequential {
  const network = tf.sequential({ name: 'mlp' });
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
  return network;
}

/** The network's kernels and biases as float64 copies, in layer order (getWeights gives kernel, bias, kernel, bias, ...). */
function readWeights(network: tf.LayersModel, sizes: number[]): MlpWeights {
  const tensors = network.getWeights();
  const values = tensors.map((t) => Float64Array.from(t.dataSync()));
  return { sizes, kernels: values.filter((_, i) => i % 2 === 0), biases: values.filter((_, i) => i % 2 === 1) };
}

/** Writes trained weights into the network (float32, as tfjs holds them). */
function writeWeights(network: tf.LayersModel, weights: MlpWeights): void {
  const { sizes, kernels, biases } = weights;
  tf.tidy(() =>
    network.setWeights(
      kernels.flatMap((kernel, l) => [tf.tensor2d(Float32Array.from(kernel), [sizes[l], sizes[l + 1]]), tf.tensor1d(Float32Array.from(biases[l]))]),
    ),
  );
}
