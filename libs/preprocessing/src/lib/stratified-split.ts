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
  const byClass: number[][] = [[], []];
  for (let i = 0; i < labels.length; i++) byClass[labels[i]].push(i);
  const random = new SeededRandom(seed);
  const parts: [number[], number[], number[]] = [[], [], []];
  for (const indices of byClass) {
    random.shuffleInPlace(indices);
    const [, validation, test] = splitCounts(indices.length, fractions);
    // Loops, not push(...slice): a million-row class would overflow the argument limit.
    for (let k = 0; k < indices.length; k++) {
      parts[k < validation ? 1 : k < validation + test ? 2 : 0].push(indices[k]);
    }
  }
  const sorted = (xs: number[]) => Uint32Array.from(xs).sort();
  return { train: sorted(parts[0]), validation: sorted(parts[1]), test: sorted(parts[2]) };
}
