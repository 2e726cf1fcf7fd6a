import { open, type FileHandle } from 'node:fs/promises';
import { readCsvRecords, type CsvDialect } from '@purchase/preprocessing';

/** Shard `index` (0-based, as Kubernetes' JOB_COMPLETION_INDEX) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/**
 * The bytes of a file one shard scores: [start, end), both record starts, so that the shards of a
 * file hold every record once. `headerEnd` is where the header record ends (the first shard's
 * start), `headerLines` the lines it takes.
 */
export interface ShardRange {
  start: number;
  end: number;
  headerEnd: number;
  headerLines: number;
  /** The header's cells: every shard reads the file's header, then only its own bytes. */
  header: string[];
  size: number;
}

/** How far past a nominal boundary a record start is looked for. */
const MAX_SEARCH_BYTES = 8 << 20;
/** The bytes after a candidate record start that must parse as whole records of the header's width. */
const WINDOW_BYTES = 64 << 10;
/** How many records of that window are enough. */
const WINDOW_RECORDS = 32;
const LF = 10;

/**
 * `i/n` (shard i of n, 0 <= i < n), or `n` alone with the index from JOB_COMPLETION_INDEX (a
 * Kubernetes Indexed Job sets it in each pod). Throws a message for the CLI otherwise.
 */
export function parseShard(text: string, env: Record<string, string | undefined> = process.env): Shard {
  const full = /^(\d+)\/(\d+)$/.exec(text);
  const countOnly = /^(\d+)$/.exec(text);
  let index: number;
  let count: number;
  if (full) {
    index = Number(full[1]);
    count = Number(full[2]);
  } else if (countOnly) {
    const fromEnv = env.JOB_COMPLETION_INDEX;
    if (fromEnv === undefined || !/^\d+$/.test(fromEnv)) {
      throw new Error(`--shard ${text} takes the shard index from JOB_COMPLETION_INDEX, which is ${fromEnv === undefined ? 'not set' : JSON.stringify(fromEnv)}; give --shard i/${text}`);
    }
    index = Number(fromEnv);
    count = Number(countOnly[1]);
  } else {
    throw new Error(`--shard must be i/n (shard i of n, from 0) or n (with JOB_COMPLETION_INDEX), got ${JSON.stringify(text)}`);
  }
  if (!(count >= 1 && count <= 100_000)) throw new Error(`the shard count must be from 1 to 100000, got ${count}`);
  if (index >= count) throw new Error(`shard index ${index} is not below the shard count ${count} (shards are numbered from 0)`);
  return { index, count };
}

/**
 * The byte range of `shard`, like a Hadoop input split: the file is cut into `count` equal byte
 * ranges and each cut moves forward to the next record start, so no shard reads the whole file
 * (each reads its header, its own bytes, and a window around its two cuts). A line end is taken as
 * a record start only when the previous line does not leave a quote open and the records after it
 * parse as whole records of the header's width; every shard applies the same rule, so adjacent
 * shards agree on their common cut. A cut that still falls inside a quoted field is caught when the
 * shard before it ends inside quotes (scoreCsvFile refuses it), never silently.
 */
export async function shardRange(file: string, dialect: CsvDialect, shard: Shard): Promise<ShardRange> {
  const quote = Buffer.from(dialect.quote, 'utf8');
  if (quote.length !== 1) throw new Error(`sharding needs a one-byte quote character, the dialect's is ${JSON.stringify(dialect.quote)}`);
  const handle = await open(file, 'r');
  try {
    const size = (await handle.stat()).size;
    const reader = new ByteReader(handle, size);
    const { headerEnd, headerLines, header } = await readHeader(reader, dialect, quote[0]);
    const cut = async (k: number): Promise<number> => {
      if (k === 0) return headerEnd;
      if (k === shard.count) return size;
      const nominal = Math.floor((size * k) / shard.count);
      if (nominal <= headerEnd) return headerEnd;
      return findRecordStart(reader, nominal, header.length, dialect, quote[0]);
    };
    const start = await cut(shard.index);
    const end = Math.max(start, await cut(shard.index + 1));
    return { start, end, headerEnd, headerLines, header, size };
  } finally {
    await handle.close();
  }
}

/** Reads byte windows of a file. */
class ByteReader {
  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async read(position: number, length: number): Promise<Buffer> {
    const n = Math.max(0, Math.min(length, this.size - position));
    const buffer = Buffer.alloc(n);
    let done = 0;
    while (done < n) {
      const { bytesRead } = await this.handle.read(buffer, done, n - done, position + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buffer.subarray(0, done);
  }
}

/** The header record, read from the file's start, where the quote state is known. */
async function readHeader(reader: ByteReader, dialect: CsvDialect, quote: number): Promise<{ headerEnd: number; headerLines: number; header: string[] }> {
  let inQuotes = false;
  let lines = 0;
  for (let position = 0; position < reader.size; position += WINDOW_BYTES) {
    const bytes = await reader.read(position, WINDOW_BYTES);
    for (let i = 0; i < bytes.length; i++) {
      const b = bytes[i];
      if (b === quote) inQuotes = !inQuotes;
      else if (b === LF) {
        lines++;
        if (!inQuotes) {
          const headerEnd = position + i + 1;
          return { headerEnd, headerLines: lines, header: await headerCells(reader, headerEnd, dialect) };
        }
      }
    }
    if (position > MAX_SEARCH_BYTES) break;
  }
  throw new Error('the file has no complete header line: nothing to shard');
}

async function headerCells(reader: ByteReader, headerEnd: number, dialect: CsvDialect): Promise<string[]> {
  for await (const batch of readCsvRecords([await reader.read(0, headerEnd)], { dialect })) {
    if (batch.syntaxError) throw new Error(`the header line is not valid CSV: ${batch.syntaxError.message}`);
    if (batch.records.length > 0) return batch.records[0];
  }
  throw new Error('the file has no header line');
}

/** The first record start at or after `nominal` (a line start that passes the checks of shardRange). */
async function findRecordStart(reader: ByteReader, nominal: number, width: number, dialect: CsvDialect, quote: number): Promise<number> {
  // A record that starts exactly at the nominal cut belongs to this side of it.
  let from = nominal - 1;
  while (from < reader.size && from < nominal + MAX_SEARCH_BYTES) {
    const bytes = await reader.read(from, WINDOW_BYTES);
    for (let at = bytes.indexOf(LF); at >= 0; at = bytes.indexOf(LF, at + 1)) {
      const candidate = from + at + 1;
      if (candidate >= reader.size) return reader.size;
      if (await isRecordStart(reader, candidate, width, dialect, quote)) return candidate;
    }
    if (bytes.length < WINDOW_BYTES) return reader.size;
    from += bytes.length;
  }
  if (from >= reader.size) return reader.size;
  throw new Error(`no record start found within ${MAX_SEARCH_BYTES >> 20} MiB after byte ${nominal}: not a CSV file of records, or records too long to shard`);
}

async function isRecordStart(reader: ByteReader, candidate: number, width: number, dialect: CsvDialect, quote: number): Promise<boolean> {
  // The line before: an odd number of quotes in it leaves a quoted field open across the line end.
  const before = await reader.read(Math.max(0, candidate - WINDOW_BYTES), Math.min(candidate, WINDOW_BYTES));
  const lineStart = before.lastIndexOf(LF, before.length - 2) + 1;
  let quotes = 0;
  for (let i = lineStart; i < before.length; i++) if (before[i] === quote) quotes++;
  if (quotes % 2 === 1) return false;

  // The records after: whole records of the header's width, without a syntax error.
  const window = await reader.read(candidate, WINDOW_BYTES);
  const reachesEnd = candidate + window.length >= reader.size;
  const items: ('ok' | 'bad')[] = [];
  for await (const batch of readCsvRecords([window], { dialect })) {
    for (const cells of batch.records) items.push(cells.length === width || (cells.length === 1 && cells[0] === '') ? 'ok' : 'bad');
    if (batch.syntaxError) items.push('bad');
    if (items.length > WINDOW_RECORDS + 1) break;
  }
  // The window's last record may be cut short by the window, unless the window reaches the end.
  if (!reachesEnd) items.pop();
  return items.length > 0 && items.slice(0, WINDOW_RECORDS).every((item) => item === 'ok');
}
