import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { DatasetSpec } from '../lib/dataset-spec';
import { parseSpec } from '../lib/parse-spec';

/** The repository root, for tests that read the bundled data and specs. */
export const ROOT = path.join(__dirname, '../../../..');

export function bundledSpec(name: 'customer-sessions' | 'online-shoppers'): DatasetSpec {
  const file = path.join(ROOT, 'data/specs', `${name}.json`);
  return parseSpec(JSON.parse(readFileSync(file, 'utf8')), file);
}
