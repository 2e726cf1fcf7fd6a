import type { SeededRandom } from '@purchase/core';

/** A value a search may give one hyperparameter: a number, a named choice ('sqrt') or layer sizes. */
export type HyperparameterValue = number | string | readonly number[];

/** The hyperparameters of one model that a search changes, by name. */
export type Hyperparameters = Record<string, HyperparameterValue>;

/**
 * Where a search (--tune) draws a candidate's configurations: trial 0 is `defaults`, the others are
 * `sample`'s draws from the run's seed. `bounds` says in words what `sample` draws, for the report.
 */
export interface SearchSpace<T extends Hyperparameters> {
  defaults: T;
  bounds: string;
  sample(random: SeededRandom): T;
}

/** Four significant digits: the values a report shows are the values trained with. */
function round4(x: number): number {
  return Number(x.toPrecision(4));
}

/** Uniform on [lo, hi), to four significant digits. */
export function uniform(random: SeededRandom, lo: number, hi: number): number {
  return round4(lo + random.next() * (hi - lo));
}

/** Log-uniform on [lo, hi), to four significant digits: as likely in 0.01..0.1 as in 0.1..1. */
export function logUniform(random: SeededRandom, lo: number, hi: number): number {
  return round4(Math.exp(Math.log(lo) + random.next() * (Math.log(hi) - Math.log(lo))));
}

/** An integer from lo to hi, both included, each as likely. */
export function integer(random: SeededRandom, lo: number, hi: number): number {
  return lo + random.nextInt(hi - lo + 1);
}

/** One of `choices`, each as likely. */
export function oneOf<T>(random: SeededRandom, choices: readonly T[]): T {
  return choices[random.nextInt(choices.length)];
}
