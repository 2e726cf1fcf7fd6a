import { StringDecoder } from 'node:string_decoder';
import { Parser, type ParseError } from 'papaparse';
import { DEFAULT_CSV_DIALECT } from './csv-dialect';
import type { CsvDialect } from './dataset-spec';

/** Longer than any CSV record of this project by far; a file without line ends must not fill memory. */
export const MAX_RECORD_LENGTH = 1 << 20;

/** A record that is not valid CSV, by the 1-based line it starts on (the header is line 1). */
export interface CsvSyntaxProblem {
  line: number;
  message: string;
  /** The text ended inside this record: a quote opened in it was never closed. */
  atEnd?: boolean;
}

export interface CsvRecordBatch {
  /** The records' cells, in file order. A blank line is one record `['']`. */
  records: string[][];
  /** The 1-based line each record starts on: a quoted field holding line breaks makes one record of several lines. */
  lines: number[];
  /** A record that follows `records` and is not valid CSV; reading resumes on the line after the one it starts on. */
  syntaxError?: CsvSyntaxProblem;
}

export interface ReadCsvOptions {
  dialect?: CsvDialect;
  /** The longest record (in characters) held while looking for its end; default MAX_RECORD_LENGTH. */
  maxRecordLength?: number;
}

const LF = 10;
const CR = 13;

/**
 * The records of a CSV text stream (a file's read stream, or any chunks of bytes or text; RFC 4180 in the given dialect: quoted delimiters, doubled
 * quotes and line breaks inside quotes, CRLF or LF line ends, a UTF-8 byte-order mark), yielded a
 * chunk's worth at a time with the line each record starts on, in constant memory: only the
 * current chunk and an unfinished record are held. papaparse's Parser splits the text; this drives
 * it chunk by chunk (as papaparse's own stream readers do) so that line numbers, malformed quotes
 * and the size of an unfinished record are under control. Training (readDataset) and scoring
 * (scoreCsvFile) both read with it, so a file is read the same way by both.
 *
 * A malformed record (a closing quote followed by text, or a quote never closed) is reported as
 * `syntaxError` at the line it starts on, and reading resumes on the next line: one bad quote costs
 * its line, not the rest of the file.
 */
export async function* readCsvRecords(source: AsyncIterable<Buffer | string> | Iterable<Buffer | string>, options: ReadCsvOptions = {}): AsyncGenerator<CsvRecordBatch> {
  const splitter = new CsvRecordSplitter(options.dialect ?? DEFAULT_CSV_DIALECT, options.maxRecordLength ?? MAX_RECORD_LENGTH);
  const decoder = new StringDecoder('utf8'); // decodes multi-byte characters split across chunks
  let first = true;
  for await (const chunk of source) {
    let text = typeof chunk === 'string' ? chunk : decoder.write(chunk);
    if (text.length === 0) continue;
    if (first && text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    first = false;
    yield* splitter.push(text);
  }
  const rest = decoder.end();
  if (rest.length > 0) yield* splitter.push(rest);
  yield* splitter.end();
}

/** The stateful part of readCsvRecords: text in, batches of records out. */
class CsvRecordSplitter {
  private readonly parser: Parser;
  private readonly delimiter: string;
  private readonly quote: string;
  /** Text not yet made into records: the start of an unfinished record. */
  private buffer = '';
  /** The line `buffer` starts on. */
  private line = 1;

  constructor(
    dialect: CsvDialect,
    private readonly maxRecordLength: number,
  ) {
    this.delimiter = dialect.delimiter;
    this.quote = dialect.quote;
    // "\n" ends a record; a "\r" before it is dropped below (so CRLF and LF, even mixed, both read).
    this.parser = new Parser({ delimiter: dialect.delimiter, quoteChar: dialect.quote, newline: '\n' });
  }

  push(text: string): CsvRecordBatch[] {
    this.buffer = this.buffer.length === 0 ? text : this.buffer + text;
    return this.split(false);
  }

  end(): CsvRecordBatch[] {
    if (this.buffer.length === 0) return [];
    if (this.buffer.charCodeAt(this.buffer.length - 1) !== LF) this.buffer += '\n';
    return this.split(true);
  }

  private split(final: boolean): CsvRecordBatch[] {
    const out: CsvRecordBatch[] = [];
    for (;;) {
      // ignoreLastRow: a record is complete only at its line end, so the unfinished one stays in the buffer.
      const result = this.parser.parse(this.buffer, 0, true) as { data: string[][]; errors: ParseError[]; meta: { cursor: number } };
      const records = result.data;
      let bad = records.length;
      let badError: ParseError | undefined;
      for (const e of result.errors) {
        if (e.row !== undefined && e.row < bad) {
          bad = e.row;
          badError = e;
        }
      }
      const { lines, next } = this.numberRecords(records, bad, bad === records.length ? result.meta.cursor : -1);
      if (badError !== undefined) {
        // A complete record with a malformed quote: report it, resume on the line after its first.
        const start = next;
        records.length = bad;
        out.push({ records, lines, syntaxError: { line: start, message: this.describe(badError, start) } });
        this.resumeAfterLine(start);
        continue;
      }
      if (records.length > 0) out.push({ records, lines });
      this.buffer = this.buffer.slice(result.meta.cursor);
      this.line = next;
      if (this.buffer.length === 0) return out;
      if (!final && this.buffer.length <= this.maxRecordLength) return out;
      // What is left can never end: a quote not closed before the end of the text, or a record too long.
      if (this.buffer.indexOf('\n') < 0) {
        throw new Error(`line ${this.line} is longer than ${this.maxRecordLength} characters: not a CSV file of records?`);
      }
      const start = this.line;
      const tail = (this.parser.parse(this.buffer, 0, false) as { errors: ParseError[] }).errors[0];
      const message = tail
        ? this.describe(tail, start)
        : `a record longer than ${this.maxRecordLength} characters`;
      const suffix = final ? '' : ` (no record end within ${this.maxRecordLength} characters)`;
      out.push({ records: [], lines: [], syntaxError: { line: start, message: message + suffix, ...(final ? { atEnd: true } : {}) } });
      this.resumeAfterLine(start);
    }
  }

  /**
   * The start line of records[0..count) (consecutive unless a record holds line breaks) and the line
   * after them, and drops the "\r" of CRLF line ends. `cursor` >= 0: where these records end in the
   * buffer, so that the lines can be told without looking at each record.
   */
  private numberRecords(records: string[][], count: number, cursor: number): { lines: number[]; next: number } {
    const lines = new Array<number>(count);
    for (let i = 0; i < count; i++) {
      const cells = records[i];
      const last = cells.length - 1;
      const cell = cells[last];
      if (cell.charCodeAt(cell.length - 1) === CR) cells[last] = cell.slice(0, -1);
    }
    let line = this.line;
    // Without a quote, no record holds a line break; with one, one pass over the text tells.
    const quoted = cursor >= 0 ? this.buffer.indexOf(this.quote) : 0;
    if (cursor >= 0 && (quoted < 0 || quoted >= cursor || countLineBreaks(this.buffer, 0, cursor) === count)) {
      for (let i = 0; i < count; i++) lines[i] = line + i;
      return { lines, next: line + count };
    }
    for (let i = 0; i < count; i++) {
      lines[i] = line;
      let breaks = 0;
      for (const cell of records[i]) breaks += countLineBreaks(cell, 0, cell.length);
      line += 1 + breaks;
    }
    return { lines, next: line };
  }

  /** Drops the buffer up to the end of line `line` (it starts on this.line); reading goes on from the next. */
  private resumeAfterLine(line: number): void {
    const at = nthLineStart(this.buffer, line - this.line + 1);
    this.buffer = this.buffer.slice(at);
    this.line = line + 1;
  }

  /** A message in the words of the rest of this project, with the character position in its line. */
  private describe(error: ParseError, recordLine: number): string {
    const opening = (error.index ?? 1) - 1; // papaparse gives the position after the opening quote
    const where = (at: number): string => {
      const lineStart = this.buffer.lastIndexOf('\n', at - 1) + 1;
      const line = recordLine + countLineBreaks(this.buffer, nthLineStart(this.buffer, recordLine - this.line), lineStart);
      return `character ${at - lineStart + 1}${line === recordLine ? '' : ` of line ${line}`}`;
    };
    if (error.code !== 'InvalidQuotes') return `unterminated quoted field starting at ${where(opening)}`;
    // The first quote after the opening one that is not doubled is the one followed by text.
    let q = this.buffer.indexOf(this.quote, opening + 1);
    while (q >= 0 && this.buffer[q + 1] === this.quote) q = this.buffer.indexOf(this.quote, q + 2);
    if (q < 0) return `malformed quoted field starting at ${where(opening)}`;
    const found = this.buffer[q + 1];
    return `a quoted field must be followed by ${JSON.stringify(this.delimiter)} or the end of the line, found ${JSON.stringify(found)} at ${where(q + 1)}`;
  }
}

/** Line feeds in text[from..to). */
function countLineBreaks(text: string, from: number, to: number): number {
  let n = 0;
  for (let at = text.indexOf('\n', from); at >= 0 && at < to; at = text.indexOf('\n', at + 1)) n++;
  return n;
}

/** Where the line `n` line breaks into `text` starts (0 for n = 0). */
function nthLineStart(text: string, n: number): number {
  let at = 0;
  for (let k = 0; k < n; k++) at = text.indexOf('\n', at) + 1;
  return at;
}
