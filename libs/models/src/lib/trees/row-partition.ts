/**
 * Splits the rows rowIndex[start..end) in place: rows going left first, then rows going right,
 * each side keeping its order (ascending row ids stay ascending, which keeps later reads of the
 * columns moving forward through memory). `goesLeft[bin]` is 1 for the bins sent left. Returns the
 * number of rows sent left.
 */
export function partitionRows(
  rowIndex: Uint32Array,
  scratch: Uint32Array,
  start: number,
  end: number,
  column: Uint8Array,
  goesLeft: Uint8Array,
): number {
  let l = start;
  let k = 0;
  let i = start;
  // Four rows per step, loads first (V8 re-checks typed arrays after each store); each row is
  // written to both sides and kept on one, so there is no branch to mispredict.
  for (; i + 4 <= end; i += 4) {
    const r0 = rowIndex[i];
    const r1 = rowIndex[i + 1];
    const r2 = rowIndex[i + 2];
    const r3 = rowIndex[i + 3];
    const a0 = goesLeft[column[r0]];
    const a1 = goesLeft[column[r1]];
    const a2 = goesLeft[column[r2]];
    const a3 = goesLeft[column[r3]];
    rowIndex[l] = r0;
    scratch[k] = r0;
    l += a0;
    k += 1 - a0;
    rowIndex[l] = r1;
    scratch[k] = r1;
    l += a1;
    k += 1 - a1;
    rowIndex[l] = r2;
    scratch[k] = r2;
    l += a2;
    k += 1 - a2;
    rowIndex[l] = r3;
    scratch[k] = r3;
    l += a3;
    k += 1 - a3;
  }
  for (; i < end; i++) {
    const r = rowIndex[i];
    const a = goesLeft[column[r]];
    rowIndex[l] = r;
    scratch[k] = r;
    l += a;
    k += 1 - a;
  }
  rowIndex.set(scratch.subarray(0, k), l);
  return l - start;
}
