import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkHyperparameters, checkNumber } from '@purchase/core';
import { checkFitInputs } from '../check-model-inputs';
import type { FitOptions, Matrix } from '../model';
import { initBackend } from './backend';
import { minimizeLbfgs } from './lbfgs';
import { meanLogLoss, penalisedLogLoss } from './logistic-objective';
import { TFJS_INPUTS, TfjsClassifier, type FittedNetwork } from './tfjs-classifier';

export interface LogisticRegressionParams {
  /** Inverse L2 strength, as scikit-learn's C: minimises C * sum(log loss) + ||w||^2 / 2. */
  C?: number;
  /** Learn an (unpenalised) intercept. */
  fitIntercept?: boolean;
  maxIterations?: number;
  /** Stop when the relative decrease of the objective stays below this on two iterations in a row
   * (1e-12 reaches the optimum to float32 precision in a few more iterations than 1e-10). */
  tolerance?: number;
}

const DEFAULTS: Required<LogisticRegressionParams> = { C: 1, fitIntercept: true, maxIterations: 1000, tolerance: 1e-12 };

/**
 * L2-regularised logistic regression: one sigmoid unit, fitted to convergence by L-BFGS in float64
 * on the CPU (the objective is convex, so it reaches scikit-learn's optimum), then held as a tfjs
 * Dense(1, sigmoid) network so that it predicts, saves and loads like the dense nets.
 */
export class LogisticRegression extends TfjsClassifier {
  readonly kind = 'logistic_regression' as const;
  protected readonly modelName = 'LogisticRegression';
  private readonly params: Required<LogisticRegressionParams>;

  constructor(params: LogisticRegressionParams = {}) {
    super();
    const h = checkHyperparameters(params, DEFAULTS);
    checkNumber('C', h.C, { min: 0, minExclusive: true });
    checkBoolean('fitIntercept', h.fitIntercept);
    checkNumber('maxIterations', h.maxIterations, { min: 1, integer: true });
    checkNumber('tolerance', h.tolerance, { min: 0 });
    this.params = h;
  }

  /** Rebuilds a saved model around its loaded network (see loadTfjsModel). */
  static fromNetwork(params: LogisticRegressionParams, fitted: FittedNetwork): LogisticRegression {
    const model = new LogisticRegression(params);
    model.setFitted(fitted);
    return model;
  }

  protected hyperparameters(): Record<string, unknown> {
    return { ...this.params };
  }

  async fit(X: Matrix, y: Uint8Array, options: FitOptions = {}): Promise<void> {
    checkFitInputs(X, y, options, TFJS_INPUTS);
    await initBackend();
    const { C, fitIntercept, maxIterations, tolerance } = this.params;
    const objective = penalisedLogLoss(X, y, C, fitIntercept);
    const validation = options.validation;
    const result = minimizeLbfgs(objective, new Float64Array(X.cols + 1), {
      maxIterations,
      tolerance,
      onIteration: (step, _value, theta) =>
        options.onProgress?.({
          step,
          totalSteps: maxIterations,
          trainLoss: meanLogLoss(X, y, theta),
          validationLoss: validation && meanLogLoss(validation.X, validation.y, theta),
        }),
    });
    const theta = result.x;
    const training: Record<string, unknown> = {
      rows: X.rows,
      iterations: result.iterations,
      converged: result.stop !== 'max-iterations',
      stop: result.stop,
      objective: result.value,
      trainLoss: meanLogLoss(X, y, theta),
    };
    if (validation) training.validationLoss = meanLogLoss(validation.X, validation.y, theta);
    this.setFitted({
      network: singleUnitNetwork(theta, X.cols),
      inputWidth: X.cols,
      featureNames: options.featureNames && [...options.featureNames],
      training,
    });
  }

  /** The fitted weights, one per input column, as the network holds them (float32). */
  get coefficients(): Float32Array {
    return this.network.getWeights()[0].dataSync() as Float32Array;
  }

  get intercept(): number {
    return this.network.getWeights()[1].dataSync()[0];
  }
}

/** Dense(1, sigmoid) holding [w, b]: the same function the optimizer fitted, in float32. */
function singleUnitNetwork(theta: Float64Array, cols: number): tf.LayersModel {
  const network = tf.sequential({ name: 'logistic_regression' });
  network.add(tf.layers.dense({ name: 'logit', units: 1, activation: 'sigmoid', inputShape: [cols], kernelInitializer: 'zeros' }));
  tf.tidy(() => network.setWeights([tf.tensor2d(Float32Array.from(theta.subarray(0, cols)), [cols, 1]), tf.tensor1d([theta[cols]])]));
  return network;
}
