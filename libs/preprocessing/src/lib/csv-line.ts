/** A line that is not valid CSV. `unterminated` quoted fields may continue on the next physical line. */
export class CsvSyntaxError extends Error {
  constructor(
    message: string,
    readonly kind: 'unterminated' | 'after_quote',
  ) {
    super(message);
    this.name = 'CsvSyntaxError';
  }
}

const QUOTE = 34;
const COMMA = 44;
const CR = 13;

/**
 * Splits one CSV record (RFC 4180: comma separator, "" escapes a quote inside a quoted field) into
 * its cells. A trailing \r (CRLF files) is dropped. Lines without quotes take a fast path (split).
 * Throws CsvSyntaxError for an unterminated quote or text after a closing quote; character
 * positions in messages are 1-based. Files are read with readCsvRecords (training and scoring
 * alike: a record may span lines, any dialect); this splits a single known line, for test fixtures
 * and as the benchmarks' floor.
 */
export function splitCsvLine(line: string): string[] {
  const end = line.length > 0 && line.charCodeAt(line.length - 1) === CR ? line.length - 1 : line.length;
  if (line.indexOf('"') < 0) return (end === line.length ? line : line.slice(0, end)).split(',');
  const cells: string[] = [];
  let i = 0;
  for (;;) {
    if (i < end && line.charCodeAt(i) === QUOTE) {
      let value = '';
      let from = i + 1;
      for (;;) {
        const q = line.indexOf('"', from);
        if (q < 0 || q >= end) throw new CsvSyntaxError(`unterminated quoted field starting at character ${i + 1}`, 'unterminated');
        if (q + 1 < end && line.charCodeAt(q + 1) === QUOTE) {
          value += line.slice(from, q + 1);
          from = q + 2;
          continue;
        }
        value += line.slice(from, q);
        i = q + 1;
        break;
      }
      cells.push(value);
      if (i === end) return cells;
      if (line.charCodeAt(i) !== COMMA) {
        throw new CsvSyntaxError(`a quoted field must be followed by a comma, found ${JSON.stringify(line[i])} at character ${i + 1}`, 'after_quote');
      }
      i++;
    } else {
      const comma = line.indexOf(',', i);
      if (comma < 0 || comma >= end) {
        cells.push(line.slice(i, end));
        return cells;
      }
      cells.push(line.slice(i, comma));
      i = comma + 1;
    }
  }
}
