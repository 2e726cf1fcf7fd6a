import { stratifiedFolds } from '@purchase/core';
import type { FeatureMatrix } from '@purchase/features';
import type { FitProgress } from '@purchase/models';
import { createCandidate, stoppedAt, type CandidateName } from './candidates';
import { takeLabels, takeRows } from './matrix-rows';
import type { Hyperparameters } from './search-space';

/** Stratified K-fold cross-validation, repeated with other folds `repeats` times. */
export interface CrossValidationPlan {
  folds: number;
  repeats: number;
}

/** Below this many train + validation rows, selection is cross-validated by default (DEFAULT_CV_FOLDS folds). */
export const CV_DEFAULT_BELOW_ROWS = 5_000;
export const DEFAULT_CV_FOLDS = 5;

/**
 * The cross-validation of a training: the one asked for (folds >= 2), none (folds 0), or by
 * default DEFAULT_CV_FOLDS folds when train + validation has fewer than CV_DEFAULT_BELOW_ROWS rows.
 */
export function planCrossValidation(rows: number, folds: number | undefined, repeats: number | undefined): CrossValidationPlan | null {
  const k = folds ?? (rows < CV_DEFAULT_BELOW_ROWS ? DEFAULT_CV_FOLDS : 0);
  return k === 0 ? null : { folds: k, repeats: repeats ?? 1 };
}

/** What cross-validating one candidate gives: out-of-fold probabilities, repeat after repeat. */
export interface OutOfFold {
  /** The model's own out-of-fold probabilities: repeats x rows, repeat r at [r * rows, (r + 1) * rows). */
  raw: Float32Array;
  /** The labels of `raw`: the rows' labels, once per repeat. */
  y: Uint8Array;
  /** The fold of each entry of `raw`, numbered across repeats: repeat * folds + fold. */
  fold: Int32Array;
  /** The mean number of steps the fold models stopped at (early stopping), rounded; undefined when the candidate does not stop early. */
  steps?: number;
}

export interface CrossValidateOptions {
  seed: number;
  /** A configuration a search is trying, of the candidate's search space. */
  tuned?: Hyperparameters;
  featureNames: string[];
  onProgress: (progress: FitProgress) => void;
}

/**
 * Fits the candidate once per fold and repeat, on the other folds (the held-out fold for early
 * stopping, as validation is in a single split), and scores the held-out fold. Repeat r deals its
 * folds from seed + r; every fold model is seeded with the run's seed.
 */
export async function crossValidate(name: CandidateName, X: FeatureMatrix, y: Uint8Array, plan: CrossValidationPlan, options: CrossValidateOptions): Promise<OutOfFold> {
  const n = y.length;
  const raw = new Float32Array(plan.repeats * n);
  const labels = new Uint8Array(plan.repeats * n);
  const foldOf = new Int32Array(plan.repeats * n);
  const stops: number[] = [];
  for (let r = 0; r < plan.repeats; r++) {
    const fold = stratifiedFolds(y, plan.folds, options.seed + r);
    for (let k = 0; k < plan.folds; k++) {
      const fitRows: number[] = [];
      const heldOut: number[] = [];
      for (let i = 0; i < n; i++) (fold[i] === k ? heldOut : fitRows).push(i);
      const model = createCandidate(name, options.seed, undefined, options.tuned);
      try {
        const validation = { X: takeRows(X, heldOut), y: takeLabels(y, heldOut) };
        await model.fit(takeRows(X, fitRows), takeLabels(y, fitRows), { validation, featureNames: options.featureNames, onProgress: options.onProgress });
        const p = model.predictProba(validation.X);
        heldOut.forEach((row, j) => {
          raw[r * n + row] = p[j];
          labels[r * n + row] = y[row];
          foldOf[r * n + row] = r * plan.folds + k;
        });
        const stopped = stoppedAt(name, model);
        if (stopped !== undefined) stops.push(stopped);
      } finally {
        model.dispose();
      }
    }
  }
  const steps = stops.length === 0 ? undefined : Math.max(1, Math.round(stops.reduce((a, b) => a + b, 0) / stops.length));
  return { raw, y: labels, fold: foldOf, ...(steps === undefined ? {} : { steps }) };
}
