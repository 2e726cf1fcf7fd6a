import { createReadStream } from 'node:fs';
import { csvDialectOf } from './csv-dialect';
import type { DatasetSpec } from './dataset-spec';
import { readCsvRecords } from './read-csv-records';
import { DatasetValidator } from './dataset-validator';
import type { DatasetReadResult } from './validate-rows';

export interface ReadDatasetOptions {
  /** Overrides the spec's CSV delimiter (the training CLI's --delimiter). */
  delimiter?: string;
}

/**
 * The chunks of a file as text, refused early when it cannot be a CSV file at all: binary (a NUL
 * byte) or JSON. (Empty is found by the caller, which sees the records.)
 */
async function* csvText(file: string): AsyncGenerator<string> {
  const input = createReadStream(file, { encoding: 'utf8' });
  let offset = 0;
  let started = false;
  try {
    for await (const chunk of input as AsyncIterable<string>) {
      const nul = chunk.indexOf('\u0000');
      if (nul >= 0) throw new Error(`${file} is not a CSV text file: it contains binary data (a NUL byte at offset ${offset + nul})`);
      if (!started) {
        const first = chunk.replace(/^\uFEFF/, '').trimStart()[0];
        if (first === '{' || first === '[') throw new Error(`${file} is not CSV: it looks like JSON (it starts with "${first}")`);
        started = first !== undefined;
      }
      offset += chunk.length;
      yield chunk;
    }
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new Error(`${file}: no such file`);
    if (code !== undefined) throw new Error(`${file}: cannot read (${(err as Error).message})`);
    throw err;
  } finally {
    input.destroy();
  }
}

/**
 * Reads a CSV file for training and validates every row against the spec (types, ranges, categories,
 * target, ids, field count). The file is read as scoring reads it (readCsvRecords: streaming, RFC
 * 4180 in the spec's dialect, each row by the line it starts on), and each record is validated as
 * it arrives (DatasetValidator): neither the text nor rows of cells are ever held whole, and a kept
 * row lives only as its values in typed columns. Nothing is dropped or coerced silently: each row is
 * kept or listed in `rejected` with its line number and reasons. Throws one Error when the file
 * cannot be used at all (missing, empty, not CSV, malformed quoting, a required column absent, no
 * data rows).
 */
export async function readDataset(file: string, spec: DatasetSpec, options: ReadDatasetOptions = {}): Promise<DatasetReadResult> {
  const dialect = csvDialectOf(spec, options.delimiter);
  let validator: DatasetValidator | undefined;
  // A bad header is reported after the whole file is read, so that malformed CSV, found later, wins as it always has.
  let headerError: unknown;
  let headerBlank = false;
  let blank = true;
  for await (const batch of readCsvRecords(csvText(file), { dialect })) {
    for (let i = 0; i < batch.records.length; i++) {
      const cells = batch.records[i];
      const isBlank = cells.length === 1 && cells[0].trim() === '';
      if (blank && !isBlank) blank = false;
      if (validator !== undefined) validator.add(cells, batch.lines[i]);
      else if (headerError === undefined && !headerBlank) {
        if (cells.length === 1 && cells[0] === '') headerBlank = true;
        else {
          try {
            validator = DatasetValidator.forHeader(file, spec, cells, dialect);
          } catch (err) {
            headerError = err;
          }
        }
      }
    }
    if (batch.syntaxError) throw new Error(`${file} is not valid CSV: line ${batch.syntaxError.line}: ${batch.syntaxError.message}`);
  }
  if (blank) throw new Error(`${file} is empty: expected a CSV header line naming the columns`);
  if (headerBlank) throw new Error(`${file}: the first line is blank; expected a CSV header line naming the columns`);
  if (headerError !== undefined) throw headerError;
  return (validator as DatasetValidator).finish();
}
