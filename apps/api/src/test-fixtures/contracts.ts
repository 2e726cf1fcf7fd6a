import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseSpec, type DatasetSpec } from '@purchase/inference';
import { ServingContract } from '../contract/serving-contract';

/** The repository root, for tests that read the bundled data, specs and fixtures. */
export const ROOT = path.resolve(__dirname, '../../../..');

export const SPEC_FILES = {
  'customer-sessions': path.join(ROOT, 'data/specs/customer-sessions.json'),
  'online-shoppers': path.join(ROOT, 'data/specs/online-shoppers.json'),
  'loyalty-visits': path.join(ROOT, 'tools/fixtures/loyalty-visits/spec.json'),
} as const;
export type SpecName = keyof typeof SPEC_FILES;

export function specNamed(name: SpecName): DatasetSpec {
  const file = SPEC_FILES[name];
  return parseSpec(JSON.parse(readFileSync(file, 'utf8')), file);
}

/** The contract of a bundle trained on the reference schema (data/specs/customer-sessions.json). */
export function referenceContract(maxBatch?: number): ServingContract {
  return new ServingContract(specNamed('customer-sessions'), { maxBatch });
}
