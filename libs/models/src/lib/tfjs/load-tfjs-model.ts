import path from 'node:path';
import type { BinaryClassifier } from '../model';
import { initBackend } from './backend';
import { DenseNet, type DenseNetParams } from './dense-net';
import { MODEL_JSON, readLayersModel } from './layers-format';
import { LogisticRegression, type LogisticRegressionParams } from './logistic-regression';

/**
 * Loads a tfjs model saved by `save(dir)` (logistic regression or dense net, told apart by the kind
 * recorded in model.json). Predictions are bit-identical to the saved model's on the same backend.
 */
export async function loadTfjsModel(dir: string): Promise<BinaryClassifier> {
  await initBackend();
  const { network, metadata } = await readLayersModel(dir);
  const { kind, hyperparameters, inputWidth, featureNames, training } = metadata.description;
  const fitted = { network, inputWidth, featureNames, training: training ?? {} };
  try {
    switch (kind) {
      case 'logistic_regression':
        return LogisticRegression.fromNetwork(hyperparameters as LogisticRegressionParams, fitted);
      case 'mlp':
        return DenseNet.fromNetwork(hyperparameters as DenseNetParams, fitted);
      default:
        throw new Error(`${path.resolve(dir, MODEL_JSON)} holds a "${kind}" model; tfjs models are logistic_regression or mlp`);
    }
  } catch (err) {
    network.dispose();
    throw err;
  }
}
