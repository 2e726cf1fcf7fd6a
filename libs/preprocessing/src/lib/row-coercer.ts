import type { DatasetSpec } from './dataset-spec';
import { ColumnChecker, isFieldError } from './column-checker';
import { missingTextTest } from './missing-text';
import type { FieldError, RawRecord, RawValue } from './raw-record';

export interface RowCoercerOptions {
  /** 'required' (training, default): a row needs a valid target. 'ignore': scoring files may lack it. */
  target?: 'required' | 'ignore';
  /** 'required' (default): the header must have the spec's id column. 'optional': use it when present. */
  id?: 'required' | 'optional';
}

export type CoercedRow =
  | { ok: true; record: RawRecord; label: 0 | 1 | null; id: string | null }
  | { ok: false; errors: FieldError[]; id: string | null };

/** What RowCoercer.read tells of a row besides its values. */
export type ReadRow = { ok: true; label: 0 | 1 | null; id: string | null } | { ok: false; errors: FieldError[]; id: string | null };

const INTEGER_TEXT = /^[-+]?\d+$/;

/** The columns a file must have for these options: id, inputs in spec order, target. */
export function requiredColumns(spec: DatasetSpec, options: RowCoercerOptions = {}): string[] {
  const names: string[] = [];
  if (spec.idColumn !== null && (options.id ?? 'required') === 'required') names.push(spec.idColumn);
  for (const c of spec.columns) names.push(c.name);
  if ((options.target ?? 'required') === 'required') names.push(spec.target.column);
  return names;
}

/**
 * Turns the text cells of one CSV row into a typed RawRecord, its 0/1 label and its id, or the list
 * of everything wrong with the row. Built once per file header (column positions are resolved then);
 * `coerce` is pure and keeps no state, so streaming scoring and training read rows identically.
 */
export class RowCoercer {
  readonly header: readonly string[];
  /** Header columns the spec does not use (kept out of records, reported by readDataset). */
  readonly ignoredColumns: readonly string[];
  private readonly spec: DatasetSpec;
  private readonly checkers: ColumnChecker[];
  private readonly positions: Int32Array;
  private readonly idPos: number;
  private readonly targetPos: number;
  private readonly isMissingText: (cell: string) => boolean;

  private constructor(spec: DatasetSpec, header: readonly string[], options: RowCoercerOptions) {
    this.spec = spec;
    this.header = header;
    const at = new Map(header.map((name, i) => [name, i]));
    this.checkers = spec.columns.map((c) => new ColumnChecker(spec, c));
    this.positions = Int32Array.from(spec.columns, (c) => at.get(c.name) ?? -1);
    this.idPos = spec.idColumn === null ? -1 : (at.get(spec.idColumn) ?? -1);
    this.targetPos = (options.target ?? 'required') === 'required' ? (at.get(spec.target.column) ?? -1) : -1;
    this.isMissingText = missingTextTest(spec.missingValues);
    const used = new Set([...requiredColumns(spec, options), ...(spec.idColumn ? [spec.idColumn] : [])]);
    this.ignoredColumns = header.filter((h) => !used.has(h));
  }

  /**
   * A coercer for a file whose first line is `header`. Throws one Error naming `source` when a
   * column name repeats or a required column is absent.
   */
  static forHeader(spec: DatasetSpec, header: readonly string[], source: string, options: RowCoercerOptions = {}): RowCoercer {
    const first = new Map<string, number>();
    header.forEach((name, i) => {
      const earlier = first.get(name);
      if (earlier !== undefined) throw new Error(`${source}: the header names "${name}" twice (fields ${earlier + 1} and ${i + 1})`);
      first.set(name, i);
    });
    const absent = requiredColumns(spec, options).filter((name) => !first.has(name));
    if (absent.length > 0) {
      const list = absent.map((n) => `"${n}"`).join(', ');
      const has = header.map((n) => `"${n}"`).join(', ');
      throw new Error(`${source} lacks the required column${absent.length > 1 ? 's' : ''} ${list} of spec "${spec.name}" (its header has ${has})`);
    }
    return new RowCoercer(spec, header, options);
  }

  coerce(cells: readonly string[]): CoercedRow {
    const values: RawValue[] = new Array(this.checkers.length);
    const row = this.read(cells, values);
    if (!row.ok) return row;
    const record: RawRecord = {};
    for (let i = 0; i < this.checkers.length; i++) record[this.checkers[i].name] = values[i];
    return { ok: true, record, label: row.label, id: row.id };
  }

  /**
   * coerce without the record: the typed value of each input column goes into `values` (spec
   * order), for a reader that stores columns rather than one object per row. The checks are the same.
   */
  read(cells: readonly string[], values: RawValue[]): ReadRow {
    const idCell = this.idPos >= 0 ? cells[this.idPos] : undefined;
    const id = idCell === undefined || this.isMissingText(idCell) ? null : idCell;
    if (cells.length !== this.header.length) {
      const message = `has ${cells.length} field${cells.length === 1 ? '' : 's'}, the header has ${this.header.length}`;
      return { ok: false, errors: [{ rule: 'field_count', message }], id };
    }
    const errors: FieldError[] = [];
    for (let i = 0; i < this.checkers.length; i++) {
      const v = this.checkers[i].fromCell(cells[this.positions[i]]);
      if (isFieldError(v)) errors.push(v);
      else values[i] = v;
    }
    if (this.idPos >= 0) this.checkId(idCell as string, errors);
    let label: 0 | 1 | null = null;
    if (this.targetPos >= 0) label = this.readTarget(cells[this.targetPos], errors);
    if (errors.length > 0) return { ok: false, errors, id };
    return { ok: true, label, id };
  }

  private checkId(cell: string, errors: FieldError[]): void {
    const column = this.spec.idColumn as string;
    if (this.isMissingText(cell)) errors.push({ column, rule: 'id', message: `${column}: id is missing` });
    else if (this.spec.idType === 'integer' && !INTEGER_TEXT.test(cell)) {
      errors.push({ column, rule: 'id', message: `${column}: id must be an integer, got ${JSON.stringify(cell)}` });
    }
  }

  private readTarget(cell: string, errors: FieldError[]): 0 | 1 | null {
    const { column, positive, negative } = this.spec.target;
    if (cell === positive) return 1;
    if (cell === negative) return 0;
    const message = this.isMissingText(cell)
      ? `${column}: target is missing`
      : `${column}: target must be "${positive}" (positive) or "${negative}" (negative), got ${JSON.stringify(cell)}`;
    errors.push({ column, rule: 'target', message });
    return null;
  }
}
