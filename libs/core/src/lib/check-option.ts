import { describeValue } from './json-guards';

/** The numbers an option allows: bounds are inclusive unless marked exclusive; absent bounds are open. */
export interface NumberRule {
  min?: number;
  max?: number;
  minExclusive?: boolean;
  maxExclusive?: boolean;
  integer?: boolean;
}

/** Checks one numeric option (a hyperparameter, a count, a share) and returns it; the message names it and the allowed range. */
export function checkNumber(name: string, value: unknown, rule: NumberRule = {}): number {
  const { min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false, integer = false } = rule;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    (maxExclusive ? value < max : value <= max);
  if (ok) return value;
  throw new Error(`${name} must be ${integer ? 'an integer' : 'a number'}${rangeText(rule)}, got ${describeValue(value)}`);
}

/** Checks that an option is one of its choices and returns it. */
export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (choices.includes(value as T)) return value as T;
  throw new Error(`${name} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${describeValue(value)}`);
}

/** Checks a true/false option and returns it. */
export function checkBoolean(name: string, value: unknown): boolean {
  if (typeof value === 'boolean') return value;
  throw new Error(`${name} must be true or false, got ${describeValue(value)}`);
}

function rangeText({ min = -Infinity, max = Infinity, minExclusive = false, maxExclusive = false }: NumberRule): string {
  if (min === -Infinity && max === Infinity) return '';
  if (max === Infinity) return ` ${minExclusive ? '>' : '>='} ${min}`;
  if (min === -Infinity) return ` ${maxExclusive ? '<' : '<='} ${max}`;
  return ` in ${minExclusive ? '(' : '['}${min}, ${max}${maxExclusive ? ')' : ']'}`;
}
