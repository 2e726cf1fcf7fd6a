import { readFile } from 'node:fs/promises';
import type { DatasetSpec } from './dataset-spec';
import { parseSpec } from './parse-spec';

/** Reads and validates a dataset spec file (see data/specs/README.md). Errors name the file. */
export async function loadSpec(file: string): Promise<DatasetSpec> {
  let textContent: string;
  try {
    textContent = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file}: no such dataset spec file` : `${file}: cannot read the dataset spec (${(err as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(textContent);
  } catch (err) {
    throw new Error(`${file}: not valid JSON (${(err as Error).message})`);
  }
  return parseSpec(json, file);
}
