/**
 * A Markdown table as command lines print it (and docs paste it): a header row, the separator, one
 * row per line, every column as wide as its widest cell. The first column is left-aligned; the
 * others too unless `align: 'numbers'` right-aligns them.
 */
export function textTable(header: readonly string[], rows: readonly (readonly string[])[], options: { align?: 'left' | 'numbers' } = {}): string {
  const table = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...table.map((r) => (r[i] ?? '').length)));
  const right = options.align === 'numbers';
  const line = (cells: readonly string[]) =>
    '| ' + widths.map((w, i) => (i > 0 && right ? (cells[i] ?? '').padStart(w) : (cells[i] ?? '').padEnd(w))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

/** textTable of records: the header is the first record's keys. Empty for no records. */
export function recordsTable(records: readonly Record<string, string>[], options: { align?: 'left' | 'numbers' } = {}): string {
  if (records.length === 0) return '';
  const header = Object.keys(records[0]);
  return textTable(header, records.map((r) => header.map((h) => r[h] ?? '')), options);
}
