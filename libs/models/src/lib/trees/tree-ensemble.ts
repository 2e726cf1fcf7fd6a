import type { ColumnReplacementScorer, Matrix } from '../model';
import { compileTrees } from './compiled-trees';
import { PaddedTrees } from './padded-trees';
import { checkPredictInput, type ModelInputs } from '../check-model-inputs';
import { treeFromJson, treeToJson, type TreeModelDocument, type TreeModelKind } from './tree-model-format';
import type { TreeNodes } from './tree-nodes';

/** The trees take NaN (a missing value, with a bin of its own) and ±Infinity (the outer bins). */
export const TREE_INPUTS: ModelInputs = { allowNonFinite: true };

/** Feature importance of a tree model, one entry per input column. */
export interface FeatureImportance {
  /** Each feature's share of the total split gain: sums to 1 (all 0 for a model without splits). */
  gain: Float64Array;
  /** Total split gain per feature, in the model's loss units (as XGBoost's "total_gain"). */
  totalGain: Float64Array;
  /** How many splits use each feature (XGBoost's "weight"). */
  splits: Uint32Array;
}

/**
 * The fitted state both tree models share: bin cuts, trees, and how a row's leaf values become a
 * probability (boosted: sigmoid of baseScore plus their sum; forest: their mean).
 */
export class TreeEnsemble {
  private readonly compiled: ReturnType<typeof compileTrees>;

  constructor(
    readonly kind: TreeModelKind,
    readonly cuts: readonly Float64Array[],
    readonly trees: readonly TreeNodes[],
    readonly baseScore: number,
  ) {
    this.compiled = compileTrees(trees, cuts);
  }

  get inputWidth(): number {
    return this.cuts.length;
  }

  predictProba(X: Matrix): Float32Array {
    checkPredictInput(X, this.inputWidth, TREE_INPUTS);
    const sums = new Float64Array(X.rows);
    this.compiled.addLeafSums(X, sums);
    return this.probabilities(sums);
  }

  /**
   * predictProba of X with one column replaced at a time, walking again only the trees that split
   * on that column (see ColumnReplacedSums); null for trees compiled as a node table (deeper than
   * MAX_PADDED_DEPTH).
   */
  columnReplacementScorer(X: Matrix): ColumnReplacementScorer | null {
    checkPredictInput(X, this.inputWidth, TREE_INPUTS);
    if (!(this.compiled instanceof PaddedTrees)) return null;
    const sums = this.compiled.columnReplacedSums(X);
    return { predictProbaWithColumn: (column, values) => this.probabilities(sums.sumsWith(column, values)) };
  }

  /** A row's probability from the sum of its leaf values. */
  private probabilities(sums: Float64Array): Float32Array {
    const rows = sums.length;
    const out = new Float32Array(rows);
    if (this.kind === 'gbdt') {
      const base = this.baseScore;
      for (let r = 0; r < rows; r++) out[r] = 1 / (1 + Math.exp(-(base + sums[r])));
    } else {
      const n = this.trees.length;
      for (let r = 0; r < rows; r++) out[r] = sums[r] / n;
    }
    return out;
  }

  featureImportance(): FeatureImportance {
    const width = this.inputWidth;
    const totalGain = new Float64Array(width);
    const splits = new Uint32Array(width);
    let sum = 0;
    for (const tree of this.trees) {
      for (let n = 0; n < tree.feature.length; n++) {
        const f = tree.feature[n];
        if (f < 0) continue;
        totalGain[f] += tree.gain[n];
        splits[f]++;
        sum += tree.gain[n];
      }
    }
    const gain = totalGain.map((g) => (sum > 0 ? g / sum : 0));
    return { gain, totalGain, splits };
  }

  /** The document fields that describe the ensemble itself. */
  toDocumentFields(): Pick<TreeModelDocument, 'kind' | 'inputWidth' | 'baseScore' | 'binCuts' | 'trees'> {
    return {
      kind: this.kind,
      inputWidth: this.inputWidth,
      baseScore: this.baseScore,
      binCuts: this.cuts.map((c) => Array.from(c)),
      trees: this.trees.map(treeToJson),
    };
  }

  /** Rebuilds an ensemble from a validated document. */
  static fromDocument(doc: TreeModelDocument): TreeEnsemble {
    return new TreeEnsemble(
      doc.kind,
      doc.binCuts.map((c) => Float64Array.from(c)),
      doc.trees.map(treeFromJson),
      doc.baseScore,
    );
  }
}
