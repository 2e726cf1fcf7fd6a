import { checkFitted, checkNumber } from '@purchase/core';
import type { BinaryClassifier, ColumnReplacementScorer, ColumnReplacementScoring, FitOptions, Matrix, ModelDescription } from '../model';
import type { FeatureImportance, TreeEnsemble } from './tree-ensemble';
import { writeTreeModel } from './tree-model-file';
import { defaultThreads } from '../fit-threads';
import { TREE_MODEL_FORMAT, TREE_MODEL_FORMAT_VERSION, type TreeModelDocument, type TreeModelKind } from './tree-model-format';

/**
 * What the boosted trees and the forest share once fitted: prediction, importance, description and
 * the artifact. Subclasses learn (fit) and say how they are named in errors.
 */
export abstract class TreeModel<Hyperparameters extends object, Training extends object> implements BinaryClassifier, ColumnReplacementScoring {
  abstract readonly kind: TreeModelKind;
  readonly hyperparameters: Readonly<Hyperparameters>;
  protected ensemble: TreeEnsemble | null = null;
  protected featureNames: string[] | null = null;
  protected trainingFacts: Training | null = null;
  /** Threads fit() works on; no part of the model. */
  protected readonly threads: number;

  constructor(hyperparameters: Hyperparameters, threads: number | undefined) {
    this.hyperparameters = Object.freeze(hyperparameters);
    this.threads = threads === undefined ? defaultThreads() : checkNumber('threads', threads, { min: 1, integer: true });
  }

  abstract fit(X: Matrix, y: Uint8Array, options?: FitOptions): Promise<void>;

  /** How errors name the model: its class name. */
  protected abstract readonly modelName: string;

  predictProba(X: Matrix): Float32Array {
    return this.fitted().predictProba(X);
  }

  /** Scores X with one column replaced at a time, walking again only the trees that split on it: predictProba's numbers. */
  columnReplacementScorer(X: Matrix): ColumnReplacementScorer | null {
    return this.fitted().columnReplacementScorer(X);
  }

  /** Feature importance by total gain (and its share) and by number of splits. */
  featureImportance(): FeatureImportance {
    return this.fitted().featureImportance();
  }

  /** Facts of the last fit (or of the fit that produced a loaded model); null before. */
  get training(): Training | null {
    return this.trainingFacts;
  }

  describe(): ModelDescription {
    return {
      kind: this.kind,
      hyperparameters: { ...this.hyperparameters },
      inputWidth: this.ensemble?.inputWidth ?? 0,
      ...(this.featureNames ? { featureNames: [...this.featureNames] } : {}),
      ...(this.trainingFacts ? { training: { ...this.trainingFacts } as Record<string, unknown> } : {}),
    };
  }

  /** The artifact document (see tree-model-format.ts). */
  toJSON(): TreeModelDocument {
    return {
      format: TREE_MODEL_FORMAT,
      formatVersion: TREE_MODEL_FORMAT_VERSION,
      ...this.fitted().toDocumentFields(),
      hyperparameters: { ...this.hyperparameters },
      featureNames: this.featureNames,
      training: { ...this.trainingFacts },
    };
  }

  /** Writes `dir/trees.json`; the directory is replaced as a whole. */
  async save(dir: string): Promise<void> {
    await writeTreeModel(dir, this.toJSON());
  }

  dispose(): void {
    // Plain typed arrays: nothing to release.
  }

  /** Takes the fitted state of a fit or of a loaded document. */
  protected setFitted(ensemble: TreeEnsemble, featureNames: readonly string[] | null | undefined, training: Training): void {
    this.ensemble = ensemble;
    this.featureNames = featureNames ? [...featureNames] : null;
    this.trainingFacts = training;
  }

  protected fitted(): TreeEnsemble {
    return checkFitted(this.ensemble, this.modelName);
  }
}
