/** A parsed JSON object (not an array, not null): the first check of every document reader. */
export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * A value as an error message shows it: JSON where JSON can say it, `NaN` / `Infinity` as such,
 * `nothing` for undefined.
 */
export function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
  return JSON.stringify(v) ?? String(v);
}
