import { checkLabels, checkNumber, SeededRandom } from '@purchase/core';

export interface SplitOptions {
  /** Default 42. */
  seed?: number;
  /** train, validation, test; default [0.7, 0.15, 0.15]; must sum to 1. */
  fractions?: readonly [number, number, number];
}

/** Row indices of each part, ascending. */
export interface Split {
  train: Uint32Array;
  validation: Uint32Array;
  test: Uint32Array;
}

/**
 * How many of `n` rows of one class go to each part: validation = round(n * f_validation),
 * test = round(n * f_test) (Math.round: halves round up), train = the rest. Rounding per class keeps
 * each part's class balance as close to the whole's as whole rows allow.
 */
export function splitCounts(n: number, fractions: readonly [number, number, number]): [train: number, validation: number, test: number] {
  const validation = Math.min(n, Math.round(n * fractions[1]));
  const test = Math.min(n - validation, Math.round(n * fractions[2]));
  return [n - validation - test, validation, test];
}

function checkFractions(f: readonly number[]): void {
  if (f.length !== 3 || f.some((x) => typeof x !== 'number' || !(x >= 0))) {
    throw new Error(`fractions must be three numbers >= 0 (train, validation, test), got ${JSON.stringify(f)}`);
  }
  const sum = f[0] + f[1] + f[2];
  if (Math.abs(sum - 1) > 1e-9) throw new Error(`fractions must sum to 1, got ${JSON.stringify(f)} (sum ${sum})`);
}

/**
 * Stratified train / validation / test split of row indices, reproducible from the seed. Each class's
 * indices are shuffled (SeededRandom.shuffleInPlace, one stream seeded once, class 0 first) and cut by
 * `splitCounts`; each part is returned sorted ascending.
 */
export function stratifiedSplit(labels: Uint8Array, options: SplitOptions = {}): Split {
  const fractions = options.fractions ?? [0.7, 0.15, 0.15];
  checkFractions(fractions);
  const seed = checkNumber('seed', options.seed ?? 42, { integer: true });
  checkLabels(labels, { name: 'labels' });
  // Typed arrays throughout: ten million rows as number[] would cost ~80 MB per copy.
  let positives = 0;
  for (let i = 0; i < labels.length; i++) positives += labels[i];
  const byClass = [new Uint32Array(labels.length - positives), new Uint32Array(positives)];
  const filled = [0, 0];
  for (let i = 0; i < labels.length; i++) byClass[labels[i]][filled[labels[i]]++] = i;
  // The part of each row, then each part's rows collected in one ascending pass: no sort needed.
  const partOf = new Uint8Array(labels.length);
  const sizes = [0, 0, 0];
  const random = new SeededRandom(seed);
  for (const indices of byClass) {
    random.shuffleInPlace(indices);
    const [train, validation, test] = splitCounts(indices.length, fractions);
    for (let k = 0; k < indices.length; k++) partOf[indices[k]] = k < validation ? 1 : k < validation + test ? 2 : 0;
    sizes[0] += train;
    sizes[1] += validation;
    sizes[2] += test;
  }
  const parts = sizes.map((size) => new Uint32Array(size));
  const at = [0, 0, 0];
  for (let i = 0; i < labels.length; i++) parts[partOf[i]][at[partOf[i]]++] = i;
  return { train: parts[0], validation: parts[1], test: parts[2] };
}
