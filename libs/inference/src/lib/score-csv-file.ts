import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { removeStaleTemps, tempPrefix, writeViaTemp, type RemovedTemp } from '@purchase/core';
import { CsvSyntaxError, RowCoercer, splitCsvLine, type FieldError, type RawRecord } from '@purchase/preprocessing';
import type { PurchasePredictor } from './purchase-predictor';
import { readLineBatches } from './read-line-batches';

export interface ScoreCsvOptions {
  /** Where rejected rows go; default: the output path with ".errors.csv" in place of ".csv". */
  errorsPath?: string;
  /** Rows scored per model call; the memory held is about this many records. Default 4096. */
  batchSize?: number;
  /** Called after each batch and once at the end. */
  onProgress?: (progress: ScoreProgress) => void;
}

export interface ScoreProgress {
  bytesRead: number;
  totalBytes: number;
  rowsScored: number;
  rowsRejected: number;
}

export interface ScoreCsvResult {
  outputPath: string;
  /**
   * The file of the rejected rows; undefined when no row was rejected: then no errors file is
   * written, and one left at that path by an earlier run is removed, so that an errors file always
   * belongs to the predictions beside it.
   */
  errorsPath: string | undefined;
  /** Data rows read (non-blank lines after the header). */
  rows: number;
  scored: number;
  rejected: number;
  /** Blank lines skipped: they hold no row. */
  blankLines: number;
  /** Leftovers of interrupted runs for the same output or errors file, removed before scoring. */
  removedTemps: RemovedTemp[];
}

/**
 * Scores a CSV file into a CSV file, streaming: the input is read in chunks and scored in batches,
 * so a file of any length is scored in constant memory. Each row is checked against the bundle's
 * spec exactly as training read it (RowCoercer); a rejected row is written to the errors file with
 * its line number (header = line 1), column, rule and reason, never dropped silently. A record
 * must fit on one line: a quote left open rejects its line alone (rule csv_syntax) rather than
 * swallowing the lines after it. Blank lines are skipped and counted. Output rows
 * keep the input order: the id column (the spec's id column when the file has it, else `line`),
 * then purchase_probability, purchase_prediction, prediction_confidence. Both files are written to
 * temporary names and renamed at the end, so a failed run leaves no partial output; the temps a
 * killed run left beside them are removed first (see removeStaleTemps) and listed in the result.
 */
export async function scoreCsvFile(
  predictor: PurchasePredictor,
  inputPath: string,
  outputPath: string,
  options: ScoreCsvOptions = {},
): Promise<ScoreCsvResult> {
  const errorsPath = options.errorsPath ?? defaultErrorsPath(outputPath);
  const batchSize = options.batchSize ?? 4096;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`batchSize must be a positive integer, got ${batchSize}`);
  if (path.resolve(errorsPath) === path.resolve(outputPath)) throw new Error(`the errors file must differ from the output file (${outputPath})`);
  for (const target of [outputPath, errorsPath]) {
    if (path.resolve(target) === path.resolve(inputPath)) throw new Error(`${target} is the input file: refusing to overwrite it`);
  }
  const totalBytes = await inputSize(inputPath);

  const removedTemps: RemovedTemp[] = [];
  for (const target of [outputPath, errorsPath]) {
    await mkdir(path.dirname(target), { recursive: true });
    removedTemps.push(...(await removeStaleTemps(path.dirname(target), [tempPrefix(target)])));
  }
  const score = async (outTmp: string, errTmp: string): Promise<Counts> => {
    const input = createReadStream(inputPath);
    let out: FileHandle | undefined;
    let errors: FileHandle | undefined;
    try {
      out = await open(outTmp, 'w');
      errors = await open(errTmp, 'w');
      const counts = await scoreStream(predictor, inputPath, input, out, errors, batchSize, (p) =>
        options.onProgress?.({ ...p, bytesRead: input.bytesRead, totalBytes }),
      );
      for (const handle of [out, errors]) {
        await handle.sync();
        await handle.close();
      }
      out = errors = undefined;
      return counts;
    } finally {
      input.destroy();
      await out?.close().catch(() => undefined);
      await errors?.close().catch(() => undefined);
    }
  };
  // The errors file is committed first, the output last: a scored file always has its errors file
  // (none when no row was rejected: the temporary goes, and an older errors file with it).
  let rejected = 0;
  const commitErrors = async (errTmp: string) => {
    if (rejected > 0) return rename(errTmp, errorsPath);
    await rm(errTmp, { force: true });
    await rm(errorsPath, { force: true });
  };
  const counts = await writeViaTemp(outputPath, (outTmp) =>
    writeViaTemp(
      errorsPath,
      async (errTmp) => {
        const scored = await score(outTmp, errTmp);
        rejected = scored.rejected;
        return scored;
      },
      commitErrors,
    ),
  );
  options.onProgress?.({ bytesRead: totalBytes, totalBytes, rowsScored: counts.scored, rowsRejected: counts.rejected });
  return { outputPath, errorsPath: counts.rejected > 0 ? errorsPath : undefined, ...counts, removedTemps };
}

type Counts = Omit<ScoreCsvResult, 'outputPath' | 'errorsPath' | 'removedTemps'>;

async function scoreStream(
  predictor: PurchasePredictor,
  source: string,
  input: Readable,
  out: FileHandle,
  errors: FileHandle,
  batchSize: number,
  progress: (p: Omit<ScoreProgress, 'bytesRead' | 'totalBytes'>) => void,
): Promise<Counts> {
  const counts: Counts = { rows: 0, scored: 0, rejected: 0, blankLines: 0 };
  let coercer: RowCoercer | undefined;
  let idHeader = 'line';
  const records: RawRecord[] = [];
  const ids: string[] = [];
  let line = 0;

  const flush = async (): Promise<void> => {
    if (records.length === 0) return;
    const predictions = predictor.predictMany(records);
    let text = '';
    for (let i = 0; i < predictions.length; i++) {
      const p = predictions[i];
      text += `${ids[i]},${p.purchase_probability},${p.purchase_prediction},${p.prediction_confidence}\n`;
    }
    counts.scored += records.length;
    records.length = 0;
    ids.length = 0;
    await write(out, text);
    progress({ rowsScored: counts.scored, rowsRejected: counts.rejected });
  };

  for await (const lines of readLineBatches(input)) {
    let rejectedText = '';
    for (const text of lines) {
      line++;
      if (coercer === undefined) {
        const header = readHeader(source, text);
        coercer = RowCoercer.forHeader(predictor.spec, header, source, {
          target: 'ignore',
          id: 'optional',
        });
        const idColumn = predictor.spec.idColumn;
        if (idColumn !== null && header.includes(idColumn)) idHeader = idColumn;
        await write(out, `${csvField(idHeader)},purchase_probability,purchase_prediction,prediction_confidence\n`);
        await write(errors, 'line,id,column,rule,reason\n');
        continue;
      }
      if (text === '' || text === '\r') {
        counts.blankLines++;
        continue;
      }
      let cells: string[];
      try {
        cells = splitCsvLine(text);
      } catch (err) {
        if (!(err instanceof CsvSyntaxError)) throw err;
        counts.rows++;
        counts.rejected++;
        rejectedText += `${line},,,csv_syntax,${csvField(`not valid CSV: ${err.message}`)}\n`;
        continue;
      }
      counts.rows++;
      const row = coercer.coerce(cells);
      if (!row.ok) {
        counts.rejected++;
        rejectedText += errorLines(line, row.id, row.errors);
        continue;
      }
      records.push(row.record);
      ids.push(idHeader === 'line' ? String(line) : csvField(row.id as string));
      if (records.length === batchSize) await flush();
    }
    if (rejectedText !== '') await write(errors, rejectedText);
  }
  if (coercer === undefined) throw new Error(`${source} is empty: expected a CSV header line naming the columns`);
  await flush();
  return counts;
}

/** The header's cells; a BOM is not part of the first column's name. */
function readHeader(source: string, text: string): string[] {
  try {
    return splitCsvLine(text.replace(/^\uFEFF/, ''));
  } catch (err) {
    if (err instanceof CsvSyntaxError) throw new Error(`${source}: the header line is not valid CSV: ${err.message}`);
    throw err;
  }
}

function errorLines(line: number, id: string | null, errors: readonly FieldError[]): string {
  let text = '';
  for (const e of errors) text += `${line},${csvField(id ?? '')},${csvField(e.column ?? '')},${e.rule},${csvField(e.message)}\n`;
  return text;
}

/** RFC 4180 quoting, only when needed. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** Writes all of `text` at the file's current position (one write call may write less). */
async function write(file: FileHandle, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  let offset = 0;
  while (offset < bytes.length) offset += (await file.write(bytes, offset)).bytesWritten;
}

async function inputSize(file: string): Promise<number> {
  try {
    const s = await stat(file);
    if (!s.isFile()) throw new Error(`${file} is not a file`);
    return s.size;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new Error(`input file ${file} does not exist`);
    throw err;
  }
}

function defaultErrorsPath(outputPath: string): string {
  return outputPath.replace(/(\.csv)?$/i, '.errors.csv');
}
