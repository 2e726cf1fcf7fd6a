import { readFile } from 'node:fs/promises';
import type { DatasetSpec } from './dataset-spec';
import { findCsvSyntaxError } from './csv-line';
import { validateRows, type DatasetReadResult } from './validate-rows';

/** Throws when the text cannot be a CSV file at all: empty, binary, or JSON. */
function checkIsCsvText(file: string, text: string): void {
  if (text.trim().length === 0) throw new Error(`${file} is empty: expected a CSV header line naming the columns`);
  const nul = text.indexOf('\u0000');
  if (nul >= 0) throw new Error(`${file} is not a CSV text file: it contains binary data (a NUL byte at offset ${nul})`);
  const first = text.trimStart()[0];
  if (first === '{' || first === '[') throw new Error(`${file} is not CSV: it looks like JSON (it starts with "${first}")`);
}

/** Parses the whole file into rows of text cells with danfojs (papaparse underneath), no typing. */
async function readCells(file: string, text: string): Promise<string[][]> {
  const { readCSV } = await import('danfojs-node');
  try {
    // header: false and no dynamic typing: every cell stays the text it was, ragged rows stay ragged
    // (so a truncated line is reported, not padded), and blank lines stay in place for line numbers.
    // (danfojs types its options by papaparse's ParseConfig, whose types are not installed: hence the cast.)
    const papaparse = { header: false, dynamicTyping: false, skipEmptyLines: false };
    const frame = await readCSV(file, papaparse as Parameters<typeof readCSV>[1]);
    return frame.values as string[][];
  } catch (err) {
    const syntax = findCsvSyntaxError(text);
    if (syntax) throw new Error(`${file} is not valid CSV: line ${syntax.line}: ${syntax.message}`);
    throw new Error(`${file} could not be read as CSV: ${(err as Error).message}`);
  }
}

/**
 * Reads a CSV file for training and validates every row against the spec (types, ranges, categories,
 * target, ids, field count). Nothing is dropped or coerced silently: each row is kept or listed in
 * `rejected` with its line number and reasons. Throws one Error when the file cannot be used at all
 * (missing, empty, not CSV, a required column absent, no data rows). danfojs-node is loaded here, on
 * first call, never at module load (it takes ~1.7 s to require).
 */
export async function readDataset(file: string, spec: DatasetSpec): Promise<DatasetReadResult> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    throw new Error(code === 'ENOENT' ? `${file}: no such file` : `${file}: cannot read (${(err as Error).message})`);
  }
  checkIsCsvText(file, text);
  return validateRows(file, spec, await readCells(file, text));
}
