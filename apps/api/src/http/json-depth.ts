/**
 * Whether JSON text nests arrays and objects more than `maxDepth` levels deep, found in one pass
 * over the bytes without recursion (brackets inside strings do not count). Run before JSON.parse,
 * so that nothing recursive (validation, serialisation) ever sees an arbitrarily deep value. Text
 * that is not JSON is left to the parser.
 */
export function exceedsJsonDepth(bytes: Uint8Array, maxDepth: number): boolean {
  let depth = 0;
  const n = bytes.length;
  for (let i = 0; i < n; i++) {
    const b = bytes[i];
    if (b === 0x22) {
      // Skip the string: to the next quote not escaped by a backslash.
      for (i++; i < n && bytes[i] !== 0x22; i++) if (bytes[i] === 0x5c) i++;
    } else if (b === 0x5b || b === 0x7b) {
      if (++depth > maxDepth) return true;
    } else if (b === 0x5d || b === 0x7d) {
      depth--;
    }
  }
  return false;
}
