import { readFileSync } from 'node:fs';
import path from 'node:path';
import { loadSpec, RowCoercer, splitCsvLine, type DatasetSpec, type RawRecord } from '@purchase/preprocessing';

/** The repository root, for tests that read the bundled data and specs. */
export const ROOT = path.join(__dirname, '../../../..');

export const bundledSpec = (name: 'customer-sessions' | 'online-shoppers'): Promise<DatasetSpec> =>
  loadSpec(path.join(ROOT, 'data/specs', `${name}.json`));

/**
 * Every row of a CSV file as typed records and labels, read line by line (splitCsvLine + RowCoercer,
 * the streaming path, so feature tests need not load danfojs). Throws on any rejected row.
 */
export function readRecords(file: string, spec: DatasetSpec): { records: RawRecord[]; labels: Uint8Array } {
  const lines = readFileSync(path.resolve(ROOT, file), 'utf8').split(/\r?\n/).filter((l) => l !== '');
  const coercer = RowCoercer.forHeader(spec, splitCsvLine(lines[0]), file);
  const records: RawRecord[] = [];
  const labels: number[] = [];
  lines.slice(1).forEach((line, i) => {
    const row = coercer.coerce(splitCsvLine(line));
    if (!row.ok) throw new Error(`${file} line ${i + 2}: ${row.errors.map((e) => e.message).join('; ')}`);
    records.push(row.record);
    labels.push(row.label as number);
  });
  return { records, labels: Uint8Array.from(labels) };
}
