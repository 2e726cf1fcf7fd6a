/** Checks one numeric hyperparameter at construction, with a message naming it and the allowed range. */
export function checkNumber(
  name: string,
  value: unknown,
  range: { min: number; max?: number; minExclusive?: boolean; integer?: boolean },
): number {
  const { min, max = Infinity, minExclusive = false, integer = false } = range;
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (!integer || Number.isInteger(value)) &&
    (minExclusive ? value > min : value >= min) &&
    value <= max;
  if (ok) return value;
  const what = integer ? 'an integer' : 'a number';
  const allowed = max === Infinity ? `${minExclusive ? '>' : '>='} ${min}` : `in ${minExclusive ? '(' : '['}${min}, ${max}]`;
  throw new Error(`${name} must be ${what} ${allowed}, got ${JSON.stringify(value)}`);
}

export function checkChoice<T extends string>(name: string, value: unknown, choices: readonly T[]): T {
  if (choices.includes(value as T)) return value as T;
  throw new Error(`${name} must be one of ${choices.map((c) => `"${c}"`).join(', ')}, got ${JSON.stringify(value)}`);
}

/** Options over defaults; an unknown name (a typo such as max_depth) is an error, not silently ignored. */
export function withDefaults<T extends object>(defaults: T, options: Partial<T>): T {
  const known = Object.keys(defaults);
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [name, value] of Object.entries(options)) {
    if (!known.includes(name)) throw new Error(`unknown hyperparameter "${name}" (known: ${known.join(', ')})`);
    if (value !== undefined) merged[name] = value;
  }
  return merged as T;
}
