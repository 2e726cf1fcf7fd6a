import path from 'node:path';
import { loadSpec, readDataset, type DatasetSpec, type RawRecord } from '@purchase/preprocessing';

/** The repository root, for tests that read the bundled data and specs. */
export const ROOT = path.join(__dirname, '../../../..');

export const bundledSpec = (name: 'customer-sessions' | 'online-shoppers'): Promise<DatasetSpec> =>
  loadSpec(path.join(ROOT, 'data/specs', `${name}.json`));

/**
 * Every row of a CSV file (a path from the repository root) as typed records and labels, read as
 * training reads it (readDataset: readCsvRecords in the spec's dialect, then validation). Throws on
 * any rejected row.
 */
export async function readRecords(file: string, spec: DatasetSpec): Promise<{ records: RawRecord[]; labels: Uint8Array }> {
  const { records, labels, rejected } = await readDataset(path.resolve(ROOT, file), spec);
  if (rejected.length > 0) {
    const first = rejected[0];
    throw new Error(`${file}: ${rejected.length} rejected rows, the first on line ${first.line}: ${first.reason}`);
  }
  return { records, labels };
}
