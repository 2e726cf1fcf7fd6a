import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, tempPrefix, writeViaTemp, type RemovedTemp } from '@purchase/core';
import { csvDialectOf, readCsvRecords, RowCoercer, type CsvDialect, type FieldError, type RawRecord } from '@purchase/preprocessing';
import type { PurchasePredictor } from './purchase-predictor';

export interface ScoreCsvOptions {
  /** Where rejected rows go; default: the output path with ".errors.csv" in place of ".csv". */
  errorsPath?: string;
  /** Rows scored per model call; the memory held is about this many records. Default 4096. */
  batchSize?: number;
  /** Overrides the delimiter of the bundle spec's CSV dialect (the predict CLI's --delimiter). */
  delimiter?: string;
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
  /** Data rows read (non-blank records after the header; a record may span lines inside quotes). */
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
 * spec exactly as training read it (readCsvRecords in the spec's dialect, then RowCoercer); a
 * rejected row is written to the errors file with the line it starts on (header = line 1), column,
 * rule and reason, never dropped silently. A quoted field may hold delimiters, doubled quotes and
 * line breaks; a malformed one (rule csv_syntax) rejects its record, reported at its first line,
 * and reading resumes on the next line, so a quote left open does not swallow the file. Blank lines
 * are skipped and counted. Output rows
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
  const dialect = csvDialectOf(predictor.spec, options.delimiter);
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
      const counts = await scoreStream(predictor, inputPath, input, dialect, out, errors, batchSize, (p) =>
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
  input: AsyncIterable<Buffer>,
  dialect: CsvDialect,
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

  const flush = async (): Promise<void> => {
    if (records.length === 0) return;
    // RowCoercer checked every record against the spec: validated once.
    const predictions = predictor.predictChecked(records);
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

  for await (const batch of readCsvRecords(input, { dialect })) {
    const { records: rows, lines } = batch;
    let rejectedText = '';
    for (let i = 0; i < rows.length; i++) {
      const cells = rows[i];
      const line = lines[i];
      if (coercer === undefined) {
        coercer = RowCoercer.forHeader(predictor.spec, cells, source, { target: 'ignore', id: 'optional' });
        const idColumn = predictor.spec.idColumn;
        if (idColumn !== null && cells.includes(idColumn)) idHeader = idColumn;
        await write(out, `${csvField(idHeader)},purchase_probability,purchase_prediction,prediction_confidence\n`);
        await write(errors, 'line,id,column,rule,reason\n');
        continue;
      }
      if (cells.length === 1 && cells[0] === '') {
        counts.blankLines++;
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
    const syntax = batch.syntaxError;
    if (syntax !== undefined) {
      if (coercer === undefined) throw new Error(`${source}: the header line is not valid CSV: ${syntax.message}`);
      counts.rows++;
      counts.rejected++;
      rejectedText += `${syntax.line},,,csv_syntax,${csvField(`not valid CSV: ${syntax.message}`)}\n`;
    }
    if (rejectedText !== '') await write(errors, rejectedText);
  }
  if (coercer === undefined) throw new Error(`${source} is empty: expected a CSV header line naming the columns`);
  await flush();
  return counts;
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
