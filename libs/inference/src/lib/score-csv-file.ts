import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, tempPrefix, writeViaTemp, type RemovedTemp } from '@purchase/core';
import { csvDialectOf, readCsvRecords, RowCoercer, type CsvDialect, type FieldError, type RawRecord } from '@purchase/preprocessing';
import { shardRange, type Shard, type ShardRange } from './csv-shards';
import { writeShardManifest } from './scored-parts';
import { csvField, defaultErrorsPath, writeText } from './csv-output';
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
  /**
   * Scores only this shard of the input (csv-shards.ts: a byte range cut at record starts). Lines
   * in the output and errors files then count from the shard's first line (1), and a manifest
   * `<output>.json` records the range and counts, from which mergeScoredParts writes the whole.
   */
  shard?: Shard;
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
  /** With options.shard: the bytes scored and the lines they hold. */
  shard?: ShardRange & Shard & { lines: number };
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
  const size = await inputSize(inputPath);
  const range = options.shard ? await shardRange(inputPath, dialect, options.shard) : undefined;
  const totalBytes = range ? range.end - range.start : size;
  let lines = 0;

  const removedTemps: RemovedTemp[] = [];
  for (const target of [outputPath, errorsPath]) {
    await mkdir(path.dirname(target), { recursive: true });
    removedTemps.push(...(await removeStaleTemps(path.dirname(target), [tempPrefix(target)])));
  }
  const score = async (outTmp: string, errTmp: string): Promise<Counts> => {
    const input = range ? createReadStream(inputPath, { start: range.start, end: Math.max(range.start, range.end - 1) }) : createReadStream(inputPath);
    // An empty range still opens a stream of one byte (end is inclusive): read nothing then.
    const bytes: AsyncIterable<Buffer> = range && range.end <= range.start ? emptyStream() : input;
    const counted = range ? countingLines(bytes, (n) => (lines += n)) : bytes;
    let out: FileHandle | undefined;
    let errors: FileHandle | undefined;
    try {
      out = await open(outTmp, 'w');
      errors = await open(errTmp, 'w');
      const counts = await scoreStream(predictor, inputPath, counted, dialect, out, errors, batchSize, (p) => options.onProgress?.({ ...p, bytesRead: input.bytesRead, totalBytes }), range && options.shard ? { header: range.header, last: options.shard.index === options.shard.count - 1, end: range.end } : undefined);
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
  const result: ScoreCsvResult = { outputPath, errorsPath: counts.rejected > 0 ? errorsPath : undefined, ...counts, removedTemps };
  if (range && options.shard) {
    result.shard = { ...range, ...options.shard, lines };
    await writeShardManifest(outputPath, inputPath, errorsPath, result);
  }
  return result;
}

async function* emptyStream(): AsyncIterable<Buffer> {}

/** Passes the chunks on, counting their line feeds. */
async function* countingLines(chunks: AsyncIterable<Buffer>, add: (n: number) => void): AsyncIterable<Buffer> {
  for await (const chunk of chunks) {
    let n = 0;
    for (let at = chunk.indexOf(10); at >= 0; at = chunk.indexOf(10, at + 1)) n++;
    add(n);
    yield chunk;
  }
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
  shard?: { header: string[]; last: boolean; end: number },
): Promise<Counts> {
  const counts: Counts = { rows: 0, scored: 0, rejected: 0, blankLines: 0 };
  let coercer: RowCoercer | undefined;
  let idHeader = 'line';
  const begin = async (cells: string[]): Promise<void> => {
    coercer = RowCoercer.forHeader(predictor.spec, cells, source, { target: 'ignore', id: 'optional' });
    const idColumn = predictor.spec.idColumn;
    if (idColumn !== null && cells.includes(idColumn)) idHeader = idColumn;
    await writeText(out, `${csvField(idHeader)},purchase_probability,purchase_prediction,prediction_confidence\n`);
    await writeText(errors, 'line,id,column,rule,reason\n');
  };
  if (shard) await begin(shard.header);
  /** A record the input ended inside (a quote never closed): for a shard, one its cut left open. */
  let endedInsideRecord = false;
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
    await writeText(out, text);
    progress({ rowsScored: counts.scored, rowsRejected: counts.rejected });
  };

  for await (const batch of readCsvRecords(input, { dialect })) {
    const { records: rows, lines } = batch;
    let rejectedText = '';
    for (let i = 0; i < rows.length; i++) {
      const cells = rows[i];
      const line = lines[i];
      if (coercer === undefined) {
        await begin(cells);
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
      if (syntax.atEnd) endedInsideRecord = true;
      if (coercer === undefined) throw new Error(`${source}: the header line is not valid CSV: ${syntax.message}`);
      counts.rows++;
      counts.rejected++;
      rejectedText += `${syntax.line},,,csv_syntax,${csvField(`not valid CSV: ${syntax.message}`)}\n`;
    }
    if (rejectedText !== '') await writeText(errors, rejectedText);
  }
  if (coercer === undefined) throw new Error(`${source} is empty: expected a CSV header line naming the columns`);
  if (shard && !shard.last && endedInsideRecord) {
    throw new Error(
      `${source}: the last record of this shard is not closed before byte ${shard.end}, where the next shard starts: a quoted field ` +
        'spans the cut (or the file leaves a quote open there); score this file with fewer shards or unsharded',
    );
  }
  await flush();
  return counts;
}

function errorLines(line: number, id: string | null, errors: readonly FieldError[]): string {
  let text = '';
  for (const e of errors) text += `${line},${csvField(id ?? '')},${csvField(e.column ?? '')},${e.rule},${csvField(e.message)}\n`;
  return text;
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
