/**
 * The one contract every model of the project implements (tfjs logistic regression and dense nets,
 * gradient-boosted trees, random forest). Models know numbers, not schemas: they take a dense
 * row-major Float32Array matrix and 0/1 labels.
 */

import type { Matrix } from '@purchase/core';

export type { Matrix };

export type ModelKind = 'logistic_regression' | 'mlp' | 'gbdt' | 'random_forest';

/** What a model says of itself: enough to rebuild it untrained and to describe it in a report or API. */
export interface ModelDescription {
  kind: ModelKind;
  /** The hyperparameters it was constructed with, defaults filled in. */
  hyperparameters: Record<string, unknown>;
  /** Number of input columns it was fitted on (0 before fit). */
  inputWidth: number;
  /** Names of the input columns, when given at fit time. */
  featureNames?: string[];
  /** Facts learned in training: epochs run, best iteration, number of trees, ... */
  training?: Record<string, unknown>;
}

/** One progress event per epoch (tfjs) or per tree (ensembles). */
export interface FitProgress {
  step: number;
  totalSteps: number;
  trainLoss?: number;
  validationLoss?: number;
}

export interface FitOptions {
  /** Held-out data for early stopping and progress. */
  validation?: { X: Matrix; y: Uint8Array };
  featureNames?: string[];
  onProgress?: (p: FitProgress) => void;
}

export interface BinaryClassifier {
  readonly kind: ModelKind;
  /** Learns from X (rows x cols) and y (0/1 per row). Reproducible for a given seed hyperparameter. */
  fit(X: Matrix, y: Uint8Array, options?: FitOptions): Promise<void>;
  /** Probability of the positive class (purchase) per row. Synchronous: the serving path awaits nothing. */
  predictProba(X: Matrix): Float32Array;
  describe(): ModelDescription;
  /** Writes the model into `dir` (created; replaced atomically if it exists). */
  save(dir: string): Promise<void>;
  /** Releases native or tensor memory (tfjs); a no-op for pure-JS models. */
  dispose(): void;
}

/**
 * An optional capability of a model: scoring one matrix many times with one column replaced, as
 * permutation importance does, faster than predictProba of each modified copy (a tree ensemble
 * walks again only the trees that split on the column). The probabilities are predictProba's of
 * the modified matrix, bit for bit.
 */
export interface ColumnReplacementScoring {
  /** A scorer of X (as it is now) with one column replaced at a time; null when this model has no faster way. */
  columnReplacementScorer(X: Matrix): ColumnReplacementScorer | null;
}

export interface ColumnReplacementScorer {
  /** predictProba of X with column `column` replaced by `values` (one per row). */
  predictProbaWithColumn(column: number, values: Float32Array): Float32Array;
}
