import { MAX_BINS } from './quantile-bins';
import type { TreeNodes } from './tree-nodes';
import { DocumentProblems, isObject } from '@purchase/core';

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
 * Collects every problem it can find, each at its path (a part whose structure is broken is not
 * looked into further), and throws one Error listing them (the caller prefixes the file name).
 */
export function checkTreeModelDocument(doc: unknown): TreeModelDocument {
  const p = new DocumentProblems();
  if (!isObject(doc)) {
    p.add('', 'not a tree model (expected a JSON object)');
    p.throwIfAny('document', 'tree model');
  }
  const d = doc as Record<string, unknown>;
  if (d.format !== TREE_MODEL_FORMAT) p.add('format', `is ${JSON.stringify(d.format)}, expected "${TREE_MODEL_FORMAT}"`);
  // Documents written before the spelling was unified call it `version`; bundles on disk still have them.
  const formatVersion = 'formatVersion' in d ? d.formatVersion : d.version;
  if (formatVersion !== TREE_MODEL_FORMAT_VERSION) {
    p.add('formatVersion', `${JSON.stringify(formatVersion)} is not supported (this build reads version ${TREE_MODEL_FORMAT_VERSION})`);
  }
  // Another format or version: its other fields mean something else.
  if (!p.empty) return fail(p);
  if (d.kind !== 'gbdt' && d.kind !== 'random_forest') p.add('kind', `${JSON.stringify(d.kind)} is not a tree model (expected "gbdt" or "random_forest")`);
  if (!isObject(d.hyperparameters)) p.add('hyperparameters', 'must be an object');
  if (!isObject(d.training)) p.add('training', 'must be an object');
  const width = d.inputWidth;
  const widthOk = Number.isInteger(width) && (width as number) >= 1;
  if (!widthOk) p.add('inputWidth', `must be a positive integer, got ${JSON.stringify(width)}`);
  const names = d.featureNames;
  if (names !== null) {
    if (!Array.isArray(names) || !names.every((n) => typeof n === 'string')) p.add('featureNames', 'must be null or an array of strings');
    else if (widthOk && names.length !== width) p.add('featureNames', `has ${names.length} names for ${width} features`);
  }
  if (typeof d.baseScore !== 'number' || !Number.isFinite(d.baseScore)) p.add('baseScore', 'must be a finite number');
  const cuts = widthOk ? checkCuts(d.binCuts, width as number, p) : undefined;
  if (!Array.isArray(d.trees) || d.trees.length === 0) p.add('trees', 'must be a non-empty array');
  else if (cuts) d.trees.forEach((tree, t) => checkTree(tree, t, cuts, p));
  if (!p.empty) return fail(p);
  return doc as unknown as TreeModelDocument;
}

function fail(p: DocumentProblems): never {
  // One problem reads as before (`binCuts[1] must ...`); several as a list.
  if (p.list.length === 1) throw new Error(p.list[0]);
  throw new Error(`${p.list.length} problems in the tree model:\n  - ${p.list.join('\n  - ')}`);
}

/** The bin cuts, when they are well formed (problems otherwise, and undefined). */
function checkCuts(binCuts: unknown, inputWidth: number, p: DocumentProblems): number[][] | undefined {
  if (!Array.isArray(binCuts)) return void p.add('binCuts', 'must be an array');
  if (binCuts.length !== inputWidth) return void p.add('binCuts', `has ${binCuts.length} features, inputWidth is ${inputWidth}`);
  const before = p.list.length;
  binCuts.forEach((cuts, f) => {
    if (!Array.isArray(cuts) || !cuts.every((c, i) => typeof c === 'number' && Number.isFinite(c) && (i === 0 || c > cuts[i - 1]))) {
      p.add(`binCuts[${f}]`, 'must be finite numbers in increasing order');
    } else if (cuts.length > MAX_BINS - 1) {
      p.add(`binCuts[${f}]`, `has ${cuts.length} cuts, at most ${MAX_BINS - 1} fit one-byte bins`);
    }
  });
  return p.list.length === before ? (binCuts as number[][]) : undefined;
}

/** A tree is well formed when every array has one entry per node, splits are in range and the nodes form one tree rooted at 0. */
function checkTree(tree: unknown, t: number, cuts: number[][], p: DocumentProblems): void {
  if (!isObject(tree)) return p.add(`tree ${t}`, 'must be an object');
  const size = Array.isArray(tree.feature) ? tree.feature.length : 0;
  const before = p.list.length;
  for (const key of TREE_ARRAYS) {
    const a = tree[key];
    const integer = key !== 'value' && key !== 'cover' && key !== 'gain';
    const ok = Array.isArray(a) && a.length === size && a.every((v) => (integer ? Number.isInteger(v) : typeof v === 'number' && Number.isFinite(v)));
    if (!ok || size === 0) p.add(`tree ${t}:`, `"${key}" must be an array of ${size || 'one or more'} ${integer ? 'integers' : 'finite numbers'}, one per node`);
  }
  // The node links are only read once every array is there.
  if (p.list.length > before) return;
  const { feature, splitBin, defaultLeft, left, right } = tree as unknown as TreeJson;
  const parents = new Int32Array(size).fill(-1);
  for (let n = 0; n < size; n++) {
    const at = `tree ${t} node ${n}:`;
    const f = feature[n];
    if (f === -1) {
      if (left[n] !== -1 || right[n] !== -1) p.add(at, `a leaf (feature -1) must have left and right -1, got ${left[n]} and ${right[n]}`);
      continue;
    }
    if (f < 0 || f >= cuts.length) {
      p.add(at, `feature ${f} is out of range [0, ${cuts.length})`);
    } else if (splitBin[n] < 0 || splitBin[n] >= cuts[f].length) {
      p.add(at, `splitBin ${splitBin[n]} is out of range for feature ${f}, which has ${cuts[f].length} cuts`);
    }
    if (defaultLeft[n] !== 0 && defaultLeft[n] !== 1) p.add(at, `defaultLeft must be 0 or 1, got ${defaultLeft[n]}`);
    for (const child of [left[n], right[n]]) {
      if (child <= n || child >= size) p.add(at, `child ${child} must come after its parent and be below ${size}`);
      else if (parents[child] !== -1) p.add(at, `child ${child} already has parent ${parents[child]}`);
      else parents[child] = n;
    }
  }
  // Children come after parents and have one parent each; a node with none other than the root is unreachable.
  for (let n = 1; n < size; n++) {
    if (parents[n] === -1) p.add(`tree ${t} node ${n}`, 'is not reachable from the root');
  }
}
