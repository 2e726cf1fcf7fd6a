/**
 * A model's hyperparameters: the given ones over the defaults, an undefined one keeping its default.
 * A name the defaults do not have (a typo such as max_depth) is an error, not silently ignored.
 * The values themselves are checked by the model, with checkNumber, checkChoice and checkBoolean.
 */
export function checkHyperparameters<T extends object>(given: Partial<T>, defaults: T): T {
  const known = Object.keys(defaults);
  const merged = { ...defaults } as Record<string, unknown>;
  for (const [name, value] of Object.entries(given)) {
    if (!known.includes(name)) throw new Error(`unknown hyperparameter "${name}" (known: ${known.join(', ')})`);
    if (value !== undefined) merged[name] = value;
  }
  return merged as T;
}
