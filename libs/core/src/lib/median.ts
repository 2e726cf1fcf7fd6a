/**
 * The median of the values (the mean of the two middle ones for an even count, as numpy and pandas
 * do). Sorts `values` in place (the caller passes a scratch copy). NaN for an empty array.
 */
export function medianInPlace(values: Float64Array): number {
  const n = values.length;
  if (n === 0) return NaN;
  values.sort();
  const mid = n >> 1;
  return n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
}
