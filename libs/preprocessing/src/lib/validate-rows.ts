import { DEFAULT_CSV_DIALECT, delimiterName } from './csv-dialect';
import type { CsvDialect, DatasetSpec } from './dataset-spec';
import type { FieldError, FieldRule, RawRecord } from './raw-record';
import { RowCoercer, requiredColumns } from './row-coercer';

/** A row that was not kept, by its 1-based file line (the header is line 1). */
export interface RejectedRow {
  line: number;
  id: string | null;
  /** The first column at fault (absent for row-level problems such as a wrong field count). */
  column?: string;
  /** Every problem of the row, joined with "; ". */
  reason: string;
  errors: FieldError[];
}

/** Counts for the row-level report printed by the training CLI (see formatReadReport). */
export interface ReadReport {
  file: string;
  spec: string;
  /** Lines after the header that are not blank. */
  dataLines: number;
  kept: number;
  rejected: number;
  /** Line numbers of blank lines (skipped: they hold no row). */
  blankLines: number[];
  positives: number;
  negatives: number;
  /** Rejected rows per failed rule (a row failing two rules counts under both). */
  rejectedByRule: Partial<Record<FieldRule, number>>;
  /** Missing input cells among the kept rows, per input column (each is imputed later). */
  missingByColumn: Record<string, number>;
  /** Kept rows whose cells all equal an earlier kept row's (counted only without an id column). */
  duplicateRows: number;
  /** Header columns the spec does not use. */
  ignoredColumns: string[];
}

export interface DatasetReadResult {
  spec: DatasetSpec;
  records: RawRecord[];
  /** 0/1 per kept row, 1 = the spec's positive target value. */
  labels: Uint8Array;
  /** The id column's text per kept row; without an id column, the row's line number as text. */
  ids: string[];
  /** 1-based file line of each kept row. */
  lines: Uint32Array;
  rejected: RejectedRow[];
  report: ReadReport;
}

export interface ValidateRowsOptions {
  /** The 1-based line each row starts on (readCsvRecords gives them); default: counted from the line breaks in the cells. */
  lines?: ArrayLike<number>;
  /** The dialect the rows were read in, for messages; default `,` and `"`. */
  dialect?: CsvDialect;
}

const MAX_SHOWN = 80;
const clip = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}...` : s);

function countNewlines(cells: readonly string[]): number {
  let n = 0;
  for (const cell of cells) {
    for (let at = cell.indexOf('\n'); at >= 0; at = cell.indexOf('\n', at + 1)) n++;
  }
  return n;
}

/**
 * Validates the rows of a CSV file, given as text cells (rows[0] is the header), against the spec:
 * each row is kept or listed in `rejected` with its 1-based line number (the line it starts on) and
 * every reason. Blank lines are skipped and listed. Throws one Error naming `file` when the header
 * is not a header (in the dialect's delimiter) with the spec's columns, or there are no data rows.
 */
export function validateRows(file: string, spec: DatasetSpec, rows: readonly (readonly string[])[], options: ValidateRowsOptions = {}): DatasetReadResult {
  const delimiter = (options.dialect ?? DEFAULT_CSV_DIALECT).delimiter;
  if (rows.length === 0) throw new Error(`${file} is empty: expected a CSV header line naming the columns`);
  const header = rows[0].slice();
  if (header[0]?.charCodeAt(0) === 0xfeff) header[0] = header[0].slice(1);
  if (header.length === 1 && header[0] === '') throw new Error(`${file}: the first line is blank; expected a CSV header line naming the columns`);
  if (header.length === 1) {
    const name = delimiterName(delimiter);
    const hint = [',', ';', '\t', '|'].find((d) => d !== delimiter && header[0].includes(d));
    const other = hint === undefined ? '' : `; it has ${delimiterName(hint)}s: read it with --delimiter ${JSON.stringify(hint)} or "csv": {"delimiter": ${JSON.stringify(hint)}} in the spec`;
    throw new Error(
      `${file} is not ${name}-separated CSV: its first line "${clip(header[0])}" has no ${name} (expected a header like ${requiredColumns(spec).join(delimiter)})${other}`,
    );
  }
  const coercer = RowCoercer.forHeader(spec, header, file);

  const records: RawRecord[] = [];
  const labels: number[] = [];
  const ids: string[] = [];
  const lines: number[] = [];
  const rejected: RejectedRow[] = [];
  const blankLines: number[] = [];
  const rejectedByRule: Partial<Record<FieldRule, number>> = {};
  const idLines = new Map<string, number>();
  const rowLines = spec.idColumn === null ? new Map<string, number>() : null;
  let duplicateRows = 0;

  const reject = (line: number, id: string | null, errors: FieldError[]): void => {
    for (const rule of new Set(errors.map((e) => e.rule))) rejectedByRule[rule] = (rejectedByRule[rule] ?? 0) + 1;
    const column = errors.find((e) => e.column !== undefined)?.column;
    const reason = errors.map((e) => e.message).join('; ');
    rejected.push(column === undefined ? { line, id, reason, errors } : { line, id, column, reason, errors });
  };

  const given = options.lines;
  let nextLine = 2 + countNewlines(rows[0]);
  for (let k = 1; k < rows.length; k++) {
    const cells = rows[k];
    let line: number;
    if (given) line = given[k];
    else {
      line = nextLine;
      nextLine += 1 + countNewlines(cells);
    }
    if (cells.length === 1 && cells[0] === '') {
      blankLines.push(line);
      continue;
    }
    const row = coercer.coerce(cells);
    if (!row.ok) {
      reject(line, row.id, row.errors);
      continue;
    }
    if (row.id !== null) {
      const first = idLines.get(row.id);
      if (first !== undefined) {
        const column = spec.idColumn as string;
        reject(line, row.id, [{ column, rule: 'duplicate_id', message: `${column}: duplicate id "${row.id}" (first on line ${first})` }]);
        continue;
      }
      idLines.set(row.id, line);
    }
    if (rowLines) {
      const key = cells.join('\u0001');
      const first = rowLines.get(key);
      if (first !== undefined) {
        duplicateRows++;
        if (spec.duplicateRows === 'reject') {
          reject(line, null, [{ rule: 'duplicate_row', message: `same cells as line ${first}` }]);
          continue;
        }
      } else rowLines.set(key, line);
    }
    records.push(row.record);
    labels.push(row.label as number);
    ids.push(row.id ?? String(line));
    lines.push(line);
  }
  if (records.length + rejected.length === 0) throw new Error(`${file} has a header but no data rows`);

  const missingByColumn: Record<string, number> = {};
  for (const c of spec.columns) {
    let n = 0;
    for (const r of records) if (r[c.name] === null) n++;
    missingByColumn[c.name] = n;
  }
  const positives = labels.reduce((s, y) => s + y, 0);
  return {
    spec,
    records,
    labels: Uint8Array.from(labels),
    ids,
    lines: Uint32Array.from(lines),
    rejected,
    report: {
      file,
      spec: spec.name,
      dataLines: records.length + rejected.length,
      kept: records.length,
      rejected: rejected.length,
      blankLines,
      positives,
      negatives: records.length - positives,
      rejectedByRule,
      missingByColumn,
      duplicateRows,
      ignoredColumns: [...coercer.ignoredColumns],
    },
  };
}
