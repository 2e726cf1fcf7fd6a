import { checkBothClasses, checkColumnNames, checkLabels, checkMatrix } from '@purchase/core';
import type { FitOptions, Matrix } from './model';

/**
 * What a model accepts as values: the trees take NaN (missing) and ±Infinity, the tfjs models need
 * every value finite.
 */
export interface ModelInputs {
  allowNonFinite: boolean;
}

/** Checks everything fit() is given, the same way for every model; returns the number of positive labels in y. */
export function checkFitInputs(X: Matrix, y: Uint8Array, options: FitOptions, { allowNonFinite }: ModelInputs): number {
  checkMatrix(X, { allowNonFinite });
  // Both classes must be present, so no fit is possible on fewer than two rows.
  if (X.rows < 2) throw new Error(`X has ${X.rows} rows, fitting needs at least 2`);
  const positives = checkLabels(y, { onePer: { count: X.rows, of: 'X', unit: 'rows' } });
  checkBothClasses(positives, y.length, 'fitting');
  if (options.featureNames !== undefined) checkColumnNames(options.featureNames, X, 'featureNames');
  const validation = options.validation;
  if (validation !== undefined) {
    const V = validation.X;
    checkMatrix(V, { name: 'validation X', allowNonFinite });
    if (V.cols !== X.cols) throw new Error(`validation X has ${V.cols} columns, X has ${X.cols}`);
    if (V.rows < 1) throw new Error(`validation X has ${V.rows} rows, validation needs at least 1`);
    checkLabels(validation.y, { name: 'validation y', onePer: { count: V.rows, of: 'validation X', unit: 'rows' } });
  }
  return positives;
}

/** Checks what a fitted model is asked to predict: X has the columns it was fitted on. */
export function checkPredictInput(X: Matrix, inputWidth: number, { allowNonFinite }: ModelInputs): void {
  checkMatrix(X, { allowNonFinite });
  if (X.cols !== inputWidth) throw new Error(`X has ${X.cols} columns, the model was fitted on ${inputWidth}`);
}
