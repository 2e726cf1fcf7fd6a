import * as tf from '@tensorflow/tfjs';
import { checkBoolean, checkHyperparameters, checkNumber } from '@purchase/core';
import { checkFitInputs } from '../check-model-inputs';
import type { FitOptions, Matrix } from '../model';
import { initBackend } from './backend';
import { minimizeLbfgs } from './lbfgs';
import { meanLogLoss, penalisedLogLoss, penalisedLogLossHessian } from './logistic-objective';
import { minimizeNewton } from './newton';
import { TFJS_INPUTS, TfjsClassifier, type FittedNetwork } from './tfjs-classifier';

export interface LogisticRegressionParams {
  /** Inverse L2 strength, as scikit-learn's C: minimises C * sum(log loss) + ||w||^2 / 2. */
  C?: number;
  /** Learn an (unpenalised) intercept. */
  fitIntercept?: boolean;
  maxIterations?: number;
  /**
   * Stop when the relative decrease of the objective falls to this: the decrease a Newton step
   * predicts (that step is still taken), or, above NEWTON_MAX_COLS columns, the decrease L-BFGS
   * observed on two iterations in a row. 1e-12 reaches the optimum to float32 precision.
   */
  tolerance?: number;
}

const DEFAULTS: Required<LogisticRegressionParams> = { C: 1, fitIntercept: true, maxIterations: 1000, tolerance: 1e-12 };

/**
 * Up to this many columns Newton's method fits (a dense Hessian of (cols + 1)^2 per iteration, from a
 * subsample of rows); wider matrices use L-BFGS, which needs gradients only.
 */
export const NEWTON_MAX_COLS = 256;

/**
 * L2-regularised logistic regression: one sigmoid unit, fitted to convergence in float64 on the CPU
 * (the objective is convex, so it reaches scikit-learn's optimum), then held as a tfjs Dense(1,
 * sigmoid) network so that it predicts, saves and loads like the dense nets.
 *
 * The solver is Newton's method rather than scikit-learn's L-BFGS: full one-hot blocks are collinear
 * with the intercept, so the objective is nearly flat (curvature 1 / (C n) only) along a few
 * directions, where a first-order method crawls (L-BFGS took 144 iterations on 700k rows of the
 * reference features, and scikit-learn's lbfgs stops ~4e-6 above the optimum there). Newton solves
 * those directions exactly: 6 iterations, i.e. 7 passes over the rows plus a Hessian from at most
 * HESSIAN_ROWS of them per iteration.
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
    const positives = checkFitInputs(X, y, options, TFJS_INPUTS);
    await initBackend();
    const { C, fitIntercept, maxIterations, tolerance } = this.params;
    const objective = penalisedLogLoss(X, y, C, fitIntercept);
    const { validation, onProgress } = options;
    const penalty = (theta: Float64Array) => squaredNorm(theta, X.cols) / (2 * C * X.rows);
    // The objective's value less its penalty is the training loss: progress costs no extra pass over X.
    const onIteration =
      onProgress &&
      ((step: number, value: number, theta: Float64Array) =>
        onProgress({
          step,
          totalSteps: maxIterations,
          trainLoss: value - penalty(theta),
          validationLoss: validation && meanLogLoss(validation.X, validation.y, theta),
        }));
    const x0 = new Float64Array(X.cols + 1);
    // The intercept-only optimum, logit(mean y): Newton's first step then starts near the answer's scale.
    if (fitIntercept) x0[X.cols] = Math.log(positives / (X.rows - positives));
    const solver = X.cols <= NEWTON_MAX_COLS ? 'newton' : 'lbfgs';
    const result =
      solver === 'newton'
        ? minimizeNewton(objective, penalisedLogLossHessian(X, C, fitIntercept), x0, { maxIterations, tolerance, onIteration })
        : minimizeLbfgs(objective, x0, { maxIterations, tolerance, onIteration });
    const theta = result.x;
    const training: Record<string, unknown> = {
      rows: X.rows,
      solver,
      iterations: result.iterations,
      evaluations: result.evaluations,
      converged: result.stop !== 'max-iterations',
      stop: result.stop,
      objective: result.value,
      trainLoss: result.value - penalty(theta),
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

function squaredNorm(theta: Float64Array, cols: number): number {
  let s = 0;
  for (let c = 0; c < cols; c++) s += theta[c] * theta[c];
  return s;
}

/** Dense(1, sigmoid) holding [w, b]: the same function the optimizer fitted, in float32. */
function singleUnitNetwork(theta: Float64Array, cols: number): tf.LayersModel {
  const network = tf.sequential({ name: 'logistic_regression' });
  network.add(tf.layers.dense({ name: 'logit', units: 1, activation: 'sigmoid', inputShape: [cols], kernelInitializer: 'zeros' }));
  tf.tidy(() => network.setWeights([tf.tensor2d(Float32Array.from(theta.subarray(0, cols)), [cols, 1]), tf.tensor1d([theta[cols]])]));
  return network;
}
