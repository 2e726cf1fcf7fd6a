import type { DatasetColumns } from './dataset-columns';
import type { CsvDialect, DatasetSpec } from './dataset-spec';
import { DatasetValidator } from './dataset-validator';
import type { FieldError, FieldRule, RawRecord } from './raw-record';

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
  /** The kept rows' input columns, one typed array each: what a training fits and transforms. */
  columns: DatasetColumns;
  /**
   * The kept rows as typed records. Made from `columns` on first use and kept: a training reads the
   * columns and never pays for a million objects.
   */
  readonly records: RawRecord[];
  /** 0/1 per kept row, 1 = the spec's positive target value. */
  labels: Uint8Array;
  /** The id column's text per kept row; without an id column, the row's line number as text. Made on first use, like `records`. */
  readonly ids: string[];
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
 * (readDataset does the same row by row as it reads, with DatasetValidator.)
 */
export function validateRows(file: string, spec: DatasetSpec, rows: readonly (readonly string[])[], options: ValidateRowsOptions = {}): DatasetReadResult {
  if (rows.length === 0) throw new Error(`${file} is empty: expected a CSV header line naming the columns`);
  const validator = DatasetValidator.forHeader(file, spec, rows[0], options.dialect);
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
    validator.add(cells, line);
  }
  return validator.finish();
}
