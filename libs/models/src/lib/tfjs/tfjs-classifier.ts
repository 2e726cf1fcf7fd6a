import * as tf from '@tensorflow/tfjs';
import { checkFitted } from '@purchase/core';
import { checkPredictInput, type ModelInputs } from '../check-model-inputs';
import type { BinaryClassifier, FitOptions, Matrix, ModelDescription } from '../model';
import { writeLayersModel } from './layers-format';

/** Rows per tfjs call in predictProba: bounds the activation memory of a very large X. */
const PREDICT_BATCH = 32_768;

/** Dense layers propagate NaN into every output, so a missing value is refused rather than predicted. */
export const TFJS_INPUTS: ModelInputs = { allowNonFinite: false };

/** What a fitted or loaded tfjs model holds: one layers network mapping `inputWidth` numbers to a probability. */
export interface FittedNetwork {
  network: tf.LayersModel;
  inputWidth: number;
  featureNames?: string[];
  training: Record<string, unknown>;
}

/**
 * The part every tfjs model shares: prediction through a tfjs layers network ending in one sigmoid
 * unit, description, saving in the tfjs layers format, and disposal of its tensors.
 */
export abstract class TfjsClassifier implements BinaryClassifier {
  abstract readonly kind: 'logistic_regression' | 'mlp';
  protected abstract readonly modelName: string;
  private fitted: FittedNetwork | undefined;
  private disposed = false;

  abstract fit(X: Matrix, y: Uint8Array, options?: FitOptions): Promise<void>;

  /** The hyperparameters, defaults filled in. */
  protected abstract hyperparameters(): Record<string, unknown>;

  /** The network of a fitted or loaded model (throws before fit). */
  protected get network(): tf.LayersModel {
    return this.requireFitted().network;
  }

  /** Installs a newly trained or loaded network, releasing the previous one. */
  protected setFitted(fitted: FittedNetwork): void {
    this.fitted?.network.dispose();
    this.fitted = fitted;
    this.disposed = false;
  }

  predictProba(X: Matrix): Float32Array {
    const { network, inputWidth } = this.requireFitted();
    checkPredictInput(X, inputWidth, TFJS_INPUTS);
    if (X.rows === 0) return new Float32Array(0);
    const input = tf.tensor2d(X.data, [X.rows, X.cols], 'float32');
    try {
      const output = network.predict(input, { batchSize: PREDICT_BATCH }) as tf.Tensor;
      try {
        return output.dataSync() as Float32Array;
      } finally {
        output.dispose();
      }
    } finally {
      input.dispose();
    }
  }

  describe(): ModelDescription {
    const description: ModelDescription = {
      kind: this.kind,
      hyperparameters: this.hyperparameters(),
      inputWidth: this.fitted?.inputWidth ?? 0,
    };
    if (this.fitted?.featureNames !== undefined) description.featureNames = [...this.fitted.featureNames];
    if (this.fitted !== undefined) description.training = { ...this.fitted.training };
    return description;
  }

  async save(dir: string): Promise<void> {
    await writeLayersModel(dir, this.network, this.describe());
  }

  dispose(): void {
    this.fitted?.network.dispose();
    this.fitted = undefined;
    this.disposed = true;
  }

  private requireFitted(): FittedNetwork {
    return checkFitted(this.fitted, this.modelName, { disposed: this.disposed });
  }
}
