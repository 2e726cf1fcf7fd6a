import { MAX_BINS } from './quantile-bins';
import type { TreeNodes } from './tree-nodes';
import { isObject } from '@purchase/core';

/**
 * The on-disk shape of a tree model (boosted or forest): one JSON document, `trees.json`, in the
 * model's directory. Everything prediction needs is here; the runtime classes are rebuilt from it.
 */
export const TREE_MODEL_FILE = 'trees.json';
export const TREE_MODEL_FORMAT = 'purchase-tree-ensemble';
export const TREE_MODEL_FORMAT_VERSION = 1;

export type TreeModelKind = 'gbdt' | 'random_forest';

/** One tree as parallel arrays indexed by node id (see TreeNodes); defaultLeft is 0/1. */
export interface TreeJson {
  feature: number[];
  splitBin: number[];
  defaultLeft: number[];
  left: number[];
  right: number[];
  value: number[];
  cover: number[];
  gain: number[];
}

export interface TreeModelDocument {
  format: typeof TREE_MODEL_FORMAT;
  formatVersion: typeof TREE_MODEL_FORMAT_VERSION;
  /** gbdt: probability = sigmoid(baseScore + sum of leaf values); random_forest: mean of leaf values. */
  kind: TreeModelKind;
  hyperparameters: Record<string, unknown>;
  inputWidth: number;
  featureNames: string[] | null;
  baseScore: number;
  /** Cut points per feature, increasing: bin b holds cuts[b-1] < x <= cuts[b]. */
  binCuts: number[][];
  trees: TreeJson[];
  training: Record<string, unknown>;
}

const TREE_ARRAYS = ['feature', 'splitBin', 'defaultLeft', 'left', 'right', 'value', 'cover', 'gain'] as const;

export function treeToJson(tree: TreeNodes): TreeJson {
  return {
    feature: Array.from(tree.feature),
    splitBin: Array.from(tree.splitBin),
    defaultLeft: Array.from(tree.defaultLeft),
    left: Array.from(tree.left),
    right: Array.from(tree.right),
    value: Array.from(tree.value),
    cover: Array.from(tree.cover),
    gain: Array.from(tree.gain),
  };
}

export function treeFromJson(tree: TreeJson): TreeNodes {
  return {
    feature: Int32Array.from(tree.feature),
    splitBin: Int32Array.from(tree.splitBin),
    defaultLeft: Uint8Array.from(tree.defaultLeft),
    left: Int32Array.from(tree.left),
    right: Int32Array.from(tree.right),
    value: Float64Array.from(tree.value),
    cover: Float64Array.from(tree.cover),
    gain: Float64Array.from(tree.gain),
  };
}

/**
 * Checks that a parsed JSON value is a tree model this build can predict with, and returns it typed.
 * Throws an Error naming the first problem found (the caller prefixes the file name).
 */
export function checkTreeModelDocument(doc: unknown): TreeModelDocument {
  if (!isObject(doc)) throw new Error('not a tree model (expected a JSON object)');
  if (doc.format !== TREE_MODEL_FORMAT) throw new Error(`format is ${JSON.stringify(doc.format)}, expected "${TREE_MODEL_FORMAT}"`);
  // Documents written before the spelling was unified call it `version`; bundles on disk still have them.
  const formatVersion = 'formatVersion' in doc ? doc.formatVersion : doc.version;
  if (formatVersion !== TREE_MODEL_FORMAT_VERSION) {
    throw new Error(`formatVersion ${JSON.stringify(formatVersion)} is not supported (this build reads version ${TREE_MODEL_FORMAT_VERSION})`);
  }
  if (doc.kind !== 'gbdt' && doc.kind !== 'random_forest') {
    throw new Error(`kind ${JSON.stringify(doc.kind)} is not a tree model (expected "gbdt" or "random_forest")`);
  }
  if (!isObject(doc.hyperparameters)) throw new Error('hyperparameters must be an object');
  if (!isObject(doc.training)) throw new Error('training must be an object');
  const width = doc.inputWidth;
  if (!Number.isInteger(width) || (width as number) < 1) throw new Error(`inputWidth must be a positive integer, got ${JSON.stringify(width)}`);
  const inputWidth = width as number;
  const names = doc.featureNames;
  if (names !== null) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) throw new Error('featureNames must be null or an array of strings');
    if (names.length !== inputWidth) throw new Error(`featureNames has ${names.length} names for ${inputWidth} features`);
  }
  if (typeof doc.baseScore !== 'number' || !Number.isFinite(doc.baseScore)) throw new Error('baseScore must be a finite number');
  const cuts = checkCuts(doc.binCuts, inputWidth);
  if (!Array.isArray(doc.trees) || doc.trees.length === 0) throw new Error('trees must be a non-empty array');
  doc.trees.forEach((tree, t) => checkTree(tree, t, cuts));
  return doc as unknown as TreeModelDocument;
}

function checkCuts(binCuts: unknown, inputWidth: number): number[][] {
  if (!Array.isArray(binCuts)) throw new Error('binCuts must be an array');
  if (binCuts.length !== inputWidth) throw new Error(`binCuts has ${binCuts.length} features, inputWidth is ${inputWidth}`);
  binCuts.forEach((cuts, f) => {
    if (!Array.isArray(cuts) || !cuts.every((c, i) => typeof c === 'number' && Number.isFinite(c) && (i === 0 || c > cuts[i - 1]))) {
      throw new Error(`binCuts[${f}] must be finite numbers in increasing order`);
    }
    if (cuts.length > MAX_BINS - 1) throw new Error(`binCuts[${f}] has ${cuts.length} cuts, at most ${MAX_BINS - 1} fit one-byte bins`);
  });
  return binCuts as number[][];
}

/** A tree is well formed when every array has one entry per node, splits are in range and the nodes form one tree rooted at 0. */
function checkTree(tree: unknown, t: number, cuts: number[][]): void {
  if (!isObject(tree)) throw new Error(`tree ${t} must be an object`);
  const size = Array.isArray(tree.feature) ? tree.feature.length : 0;
  for (const key of TREE_ARRAYS) {
    const a = tree[key];
    const integer = key !== 'value' && key !== 'cover' && key !== 'gain';
    const ok = Array.isArray(a) && a.length === size && a.every((v) => (integer ? Number.isInteger(v) : typeof v === 'number' && Number.isFinite(v)));
    if (!ok || size === 0) throw new Error(`tree ${t}: "${key}" must be an array of ${size || 'one or more'} ${integer ? 'integers' : 'finite numbers'}, one per node`);
  }
  const { feature, splitBin, defaultLeft, left, right } = tree as unknown as TreeJson;
  const parents = new Int32Array(size).fill(-1);
  for (let n = 0; n < size; n++) {
    const at = `tree ${t} node ${n}`;
    const f = feature[n];
    if (f === -1) {
      if (left[n] !== -1 || right[n] !== -1) throw new Error(`${at}: a leaf (feature -1) must have left and right -1, got ${left[n]} and ${right[n]}`);
      continue;
    }
    if (f < 0 || f >= cuts.length) throw new Error(`${at}: feature ${f} is out of range [0, ${cuts.length})`);
    if (splitBin[n] < 0 || splitBin[n] >= cuts[f].length) {
      throw new Error(`${at}: splitBin ${splitBin[n]} is out of range for feature ${f}, which has ${cuts[f].length} cuts`);
    }
    if (defaultLeft[n] !== 0 && defaultLeft[n] !== 1) throw new Error(`${at}: defaultLeft must be 0 or 1, got ${defaultLeft[n]}`);
    for (const child of [left[n], right[n]]) {
      if (child <= n || child >= size) throw new Error(`${at}: child ${child} must come after its parent and be below ${size}`);
      if (parents[child] !== -1) throw new Error(`${at}: child ${child} already has parent ${parents[child]}`);
      parents[child] = n;
    }
  }
  // Children come after parents and have one parent each; a node with none other than the root is unreachable.
  for (let n = 1; n < size; n++) {
    if (parents[n] === -1) throw new Error(`tree ${t} node ${n} is not reachable from the root`);
  }
}
