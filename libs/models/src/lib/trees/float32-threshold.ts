/**
 * The largest float32 that is <= v. For any float32 x (the matrices are Float32Array), x <= v
 * exactly when x <= float32AtMost(v), so prediction can compare float32 with float32 and still
 * send every value where the float64 cut sends it.
 */
export function float32AtMost(v: number): number {
  const f = Math.fround(v);
  if (f <= v) return f;
  // fround rounded up: step one float32 towards -Infinity.
  const bits = new Float32Array([f]);
  const int = new Int32Array(bits.buffer);
  int[0] += f > 0 ? -1 : 1;
  return bits[0];
}
