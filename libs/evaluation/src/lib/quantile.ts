/**
 * The q-quantile (0 <= q <= 1) of ascending-sorted values by linear interpolation between the two
 * nearest ranks: numpy's default (`method="linear"`, Hyndman & Fan type 7), including numpy's way
 * of interpolating from the nearer end, so edges match numpy bit for bit.
 */
export function quantileOfSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0) throw new Error('quantile of an empty array');
  if (!(q >= 0 && q <= 1)) throw new Error(`quantile q must be in [0, 1], got ${q}`);
  const virtual = (n - 1) * q;
  const below = Math.floor(virtual);
  const above = Math.min(below + 1, n - 1);
  const t = virtual - below;
  const a = sorted[below];
  const b = sorted[above];
  const diff = b - a;
  return t >= 0.5 ? b - diff * (1 - t) : a + diff * t;
}
