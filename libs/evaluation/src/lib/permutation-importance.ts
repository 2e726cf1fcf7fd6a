import type { BinaryClassifier, ColumnReplacementScoring } from '@purchase/models';
import { checkColumnNames, checkLabels, checkMatrix, checkNumber, type Matrix, rocAuc, SeededRandom } from '@purchase/core';

/**
 * Anything that scores a matrix: every BinaryClassifier, or a fitted pipeline wrapped around one.
 * A model that also scores with one column replaced (the tree models) is asked that instead of
 * predictProba of a modified copy: the same probabilities, for less work.
 */
export type ProbabilityModel = Pick<BinaryClassifier, 'predictProba'> & Partial<ColumnReplacementScoring>;

export interface PermutationOptions {
  seed: number;
  /** Shuffles per column (default 5). */
  repeats?: number;
  /** One name per column of X, for the report (default 'column 0', 'column 1', ...). */
  columnNames?: string[];
}

export interface PermutationImportance {
  column: number;
  name: string;
  /** Mean over repeats of (AUC on intact data - AUC with this column shuffled). */
  meanDrop: number;
  /** Standard deviation of the drops (population, ddof 0, as scikit-learn's importances_std). */
  sdDrop: number;
  drops: number[];
}

export interface PermutationImportanceResult {
  baselineRocAuc: number;
  repeats: number;
  seed: number;
  /** Largest mean drop first; ties by column index. */
  features: PermutationImportance[];
}

/**
 * Permutation importance: how much validation ROC AUC drops when one column's values are shuffled
 * across rows, breaking its link with the target while keeping its distribution. Works for any
 * model. X is never changed: one working copy is made, a column is shuffled in it and restored
 * before the next (or, for a model with a column replacement scorer, the shuffled column alone is
 * passed). Columns are visited in order and repeats within a column, so a seed fixes the result.
 */
export function permutationImportance(
  model: ProbabilityModel,
  X: Matrix,
  y: Uint8Array,
  options: PermutationOptions,
): PermutationImportanceResult {
  // Values are the model's to judge: a tree model takes missing ones.
  checkMatrix(X, { allowNonFinite: true });
  checkLabels(y, { onePer: { count: X.rows, of: 'X', unit: 'rows' } });
  const { rows, cols } = X;
  const repeats = checkNumber('repeats', options.repeats ?? 5, { min: 1, integer: true });
  const names = options.columnNames ?? Array.from({ length: cols }, (_, c) => `column ${c}`);
  checkColumnNames(names, X, 'columnNames');

  const auc = (p: Float32Array) => {
    if (p.length !== rows) throw new Error(`model returned ${p.length} probabilities for ${rows} rows`);
    return rocAuc(y, p);
  };
  const baselineRocAuc = auc(model.predictProba(X));
  const scorer = model.columnReplacementScorer?.(X) ?? null;
  const work: Matrix | null = scorer ? null : { data: Float32Array.from(X.data), rows, cols };
  const saved = new Float32Array(rows);
  const shuffled = new Float32Array(rows);
  const rng = new SeededRandom(options.seed);
  const aucWithColumn = (c: number): number => {
    if (scorer) return auc(scorer.predictProbaWithColumn(c, shuffled));
    const data = (work as Matrix).data;
    for (let r = 0; r < rows; r++) data[r * cols + c] = shuffled[r];
    return auc(model.predictProba(work as Matrix));
  };

  const features: PermutationImportance[] = [];
  for (let c = 0; c < cols; c++) {
    for (let r = 0; r < rows; r++) saved[r] = X.data[r * cols + c];
    const drops: number[] = [];
    for (let k = 0; k < repeats; k++) {
      shuffled.set(saved);
      rng.shuffleInPlace(shuffled);
      drops.push(baselineRocAuc - aucWithColumn(c));
    }
    if (work) for (let r = 0; r < rows; r++) work.data[r * cols + c] = saved[r];
    const mean = drops.reduce((s, d) => s + d, 0) / repeats;
    const variance = drops.reduce((s, d) => s + (d - mean) * (d - mean), 0) / repeats;
    features.push({ column: c, name: names[c], meanDrop: mean, sdDrop: Math.sqrt(variance), drops });
  }
  features.sort((a, b) => b.meanDrop - a.meanDrop || a.column - b.column);
  return { baselineRocAuc, repeats, seed: options.seed, features };
}
