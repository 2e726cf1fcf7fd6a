/**
 * A test for "this cell text means missing", from the spec's missingValues. The common case [""] is
 * a length check: hashing every cell of a million-row file into a Set costs more than reading it.
 */
export function missingTextTest(missingValues: readonly string[]): (cell: string) => boolean {
  if (missingValues.length === 1 && missingValues[0] === '') return (cell) => cell.length === 0;
  const texts = new Set(missingValues);
  return (cell) => texts.has(cell);
}
