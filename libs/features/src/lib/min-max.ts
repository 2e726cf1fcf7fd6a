/**
 * Min-max scaling with the training range, clipped to [0, 1]: a value outside the training range
 * maps to the nearest end (a time_spent ten times the training maximum reads as 1, not 10), so the
 * models only ever see inputs in the range they were fitted on. A constant training column
 * (max == min) carries no information and scales to 0 for every value. NaN stays NaN.
 */
export function minMaxScale(x: number, min: number, inverseRange: number): number {
  const s = (x - min) * inverseRange;
  if (s > 0) return s < 1 ? s : 1;
  return s === s ? 0 : s; // s <= 0 (-0 too, so every zero has the same bits) -> 0; NaN -> NaN
}

/** 1 / (max - min), or 0 for a constant column (see minMaxScale). */
export function inverseRange(min: number, max: number): number {
  return max > min ? 1 / (max - min) : 0;
}
