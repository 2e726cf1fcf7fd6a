import { DEFAULT_CSV_DIALECT, delimiterName } from './csv-dialect';
import { codeArrayType, columnPlan, recordAt, type CodeArray, type ColumnValues, type DatasetColumns } from './dataset-columns';
import type { CsvDialect, DatasetSpec } from './dataset-spec';
import { GrowableArray } from './growable-array';
import { idText, KeptIds, type KeptIdValues } from './kept-ids';
import type { FieldError, FieldRule, RawRecord, RawValue } from './raw-record';
import { RowCoercer, requiredColumns } from './row-coercer';
import type { DatasetReadResult, ReadReport, RejectedRow } from './validate-rows';

const MAX_SHOWN = 80;
const clip = (s: string): string => (s.length > MAX_SHOWN ? `${s.slice(0, MAX_SHOWN)}...` : s);

/** Where the typed values of one input column go while rows are read. */
type ColumnSink =
  | { kind: 'number'; name: string; values: GrowableArray<Float64Array> }
  | { kind: 'code'; name: string; levels: readonly (string | boolean)[]; codeOf: ReadonlyMap<unknown, number>; codes: GrowableArray<CodeArray> };

/**
 * The validation of one file, a row at a time: readDataset feeds it each record as it is read, so
 * a file is never held as text or as rows of cells, and a kept row is stored only as its values in
 * typed columns (DatasetColumns), its label, line and id.
 */
export class DatasetValidator {
  private readonly values: RawValue[];
  private readonly sinks: ColumnSink[];
  private readonly labels = new GrowableArray(Uint8Array);
  private readonly lines = new GrowableArray(Uint32Array);
  private readonly ids: KeptIds | null;
  private readonly rejected: RejectedRow[] = [];
  private readonly blankLines: number[] = [];
  private readonly rejectedByRule: Partial<Record<FieldRule, number>> = {};
  private readonly rowLines: Map<string, number> | null;
  private duplicateRows = 0;

  private constructor(
    private readonly file: string,
    private readonly spec: DatasetSpec,
    private readonly coercer: RowCoercer,
  ) {
    this.values = new Array(spec.columns.length).fill(null);
    this.sinks = columnPlan(spec).map((c): ColumnSink => {
      if (c.kind === 'number') return { kind: 'number', name: c.name, values: new GrowableArray(Float64Array) };
      return { kind: 'code', name: c.name, levels: c.levels, codeOf: c.codeOf, codes: new GrowableArray(codeArrayType(c.levels.length)) };
    });
    this.ids = spec.idColumn === null ? null : new KeptIds(this.lines);
    this.rowLines = spec.idColumn === null ? new Map<string, number>() : null;
  }

  /**
   * A validator for a file whose first record is `header`. Throws one Error naming `file` when it is
   * not a header (in the dialect's delimiter) with the spec's columns.
   */
  static forHeader(file: string, spec: DatasetSpec, headerCells: readonly string[], dialect: CsvDialect = DEFAULT_CSV_DIALECT): DatasetValidator {
    const delimiter = dialect.delimiter;
    const header = headerCells.slice();
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
    return new DatasetValidator(file, spec, RowCoercer.forHeader(spec, header, file));
  }

  /** Validates one data row, starting on 1-based `line`: kept, rejected, or a blank line. */
  add(cells: readonly string[], line: number): void {
    if (cells.length === 1 && cells[0] === '') {
      this.blankLines.push(line);
      return;
    }
    const row = this.coercer.read(cells, this.values);
    if (!row.ok) {
      this.reject(line, row.id, row.errors);
      return;
    }
    if (this.ids !== null && row.id !== null) {
      const first = this.ids.add(row.id);
      if (first !== undefined) {
        const column = this.spec.idColumn as string;
        this.reject(line, row.id, [{ column, rule: 'duplicate_id', message: `${column}: duplicate id "${row.id}" (first on line ${first})` }]);
        return;
      }
    }
    if (this.rowLines) {
      const key = cells.join('\u0001');
      const first = this.rowLines.get(key);
      if (first !== undefined) {
        this.duplicateRows++;
        if (this.spec.duplicateRows === 'reject') {
          this.reject(line, null, [{ rule: 'duplicate_row', message: `same cells as line ${first}` }]);
          return;
        }
      } else this.rowLines.set(key, line);
    }
    const { values, sinks } = this;
    for (let i = 0; i < sinks.length; i++) {
      const sink = sinks[i];
      const v = values[i];
      if (sink.kind === 'number') sink.values.push(v === null ? NaN : (v as number));
      else sink.codes.push(v === null ? 0 : (sink.codeOf.get(v) as number));
    }
    this.labels.push(row.label as number);
    this.lines.push(line);
  }

  /** The read's result; throws when the file had a header but no data rows. */
  finish(): DatasetReadResult {
    const kept = this.lines.length;
    if (kept + this.rejected.length === 0) throw new Error(`${this.file} has a header but no data rows`);
    const columns: DatasetColumns = {
      rows: kept,
      columns: this.sinks.map((s): ColumnValues =>
        s.kind === 'number' ? { kind: 'number', name: s.name, values: s.values.finish() } : { kind: 'code', name: s.name, levels: s.levels, codes: s.codes.finish() },
      ),
    };
    const missingByColumn: Record<string, number> = {};
    for (const c of columns.columns) {
      let n = 0;
      if (c.kind === 'number') for (const v of c.values) n += v !== v ? 1 : 0;
      else for (const code of c.codes) n += code === 0 ? 1 : 0;
      missingByColumn[c.name] = n;
    }
    const labels = this.labels.finish();
    const lines = this.lines.finish();
    let positives = 0;
    for (const y of labels) positives += y;
    const report: ReadReport = {
      file: this.file,
      spec: this.spec.name,
      dataLines: kept + this.rejected.length,
      kept,
      rejected: this.rejected.length,
      blankLines: this.blankLines,
      positives,
      negatives: kept - positives,
      rejectedByRule: this.rejectedByRule,
      missingByColumn,
      duplicateRows: this.duplicateRows,
      ignoredColumns: [...this.coercer.ignoredColumns],
    };
    return new ReadResult(this.spec, columns, labels, lines, this.ids?.finish() ?? null, this.rejected, report);
  }

  private reject(line: number, id: string | null, errors: FieldError[]): void {
    for (const rule of new Set(errors.map((e) => e.rule))) this.rejectedByRule[rule] = (this.rejectedByRule[rule] ?? 0) + 1;
    const column = errors.find((e) => e.column !== undefined)?.column;
    const reason = errors.map((e) => e.message).join('; ');
    this.rejected.push(column === undefined ? { line, id, reason, errors } : { line, id, column, reason, errors });
  }
}

class ReadResult implements DatasetReadResult {
  private madeRecords?: RawRecord[];
  private madeIds?: string[];

  constructor(
    readonly spec: DatasetSpec,
    readonly columns: DatasetColumns,
    readonly labels: Uint8Array,
    readonly lines: Uint32Array,
    private readonly keptIds: KeptIdValues | null,
    readonly rejected: RejectedRow[],
    readonly report: ReadReport,
  ) {}

  get records(): RawRecord[] {
    return (this.madeRecords ??= Array.from({ length: this.columns.rows }, (_, r) => recordAt(this.columns, r)));
  }

  get ids(): string[] {
    const ids = this.keptIds;
    return (this.madeIds ??= Array.from(this.lines, (line, i) => (ids === null ? String(line) : idText(ids, i))));
  }
}
