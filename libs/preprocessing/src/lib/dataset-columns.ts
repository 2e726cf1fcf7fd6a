import { UNKNOWN_CATEGORY, type DatasetSpec } from './dataset-spec';
import type { RawRecord, RawValue } from './raw-record';

/**
 * The input columns of a dataset, one typed array per column: what a training read produces
 * (readDataset) and what the feature pipeline fits on and transforms, with no object per row.
 * Row r of every column is the same row. Columns follow the spec's input columns, in spec order.
 */
export interface DatasetColumns {
  readonly rows: number;
  readonly columns: readonly ColumnValues[];
}

export type ColumnValues = NumberColumnValues | CodeColumnValues;

/** A number or integer column: the value of each row, NaN where missing. */
export interface NumberColumnValues {
  readonly kind: 'number';
  readonly name: string;
  readonly values: Float64Array;
  /** Rows whose value was not a finite number (only from unchecked records, never from a read), with that value. */
  readonly invalid?: ReadonlyMap<number, RawValue>;
}

/**
 * A category or boolean column as codes: code k > 0 stands for levels[k - 1], 0 for missing.
 * A category's levels are the spec's categories then Unknown; a boolean's are false, true.
 */
export interface CodeColumnValues {
  readonly kind: 'code';
  readonly name: string;
  readonly levels: readonly (string | boolean)[];
  readonly codes: CodeArray;
  /**
   * Rows whose value was of the wrong type or an unlisted category (only from unchecked records),
   * with that value; their code is Unknown's for a category and 0 for a boolean.
   */
  readonly invalid?: ReadonlyMap<number, RawValue>;
}

export type CodeArray = Uint8Array | Uint16Array | Uint32Array;

/** The levels of a category or boolean column of the spec, in code order (code k is levels[k - 1]). */
export function columnLevels(spec: DatasetSpec, name: string): (string | boolean)[] {
  const column = spec.columns.find((c) => c.name === name);
  if (column === undefined) throw new Error(`"${name}" is not an input column of spec "${spec.name}"`);
  if (column.type === 'category') return [...column.categories, UNKNOWN_CATEGORY];
  if (column.type === 'boolean') return [false, true];
  throw new Error(`"${name}" is a ${column.type} column, not a category or boolean`);
}

/** The smallest unsigned array type holding codes 0..levels. */
export function codeArrayType(levels: number): new (length: number) => CodeArray {
  return levels < 0xff ? Uint8Array : levels < 0xffff ? Uint16Array : Uint32Array;
}

/**
 * Typed records as columns (the spec's input columns; other keys are ignored). A missing value
 * (null, undefined) is NaN or code 0. A value of the wrong type is kept in the column's `invalid`
 * map and reads as the feature pipeline has always read it: NaN for a number or boolean, Unknown for
 * a category (an unlisted category too).
 */
export function columnsFromRecords(spec: DatasetSpec, records: readonly RawRecord[]): DatasetColumns {
  const n = records.length;
  const columns = columnPlan(spec).map((c): ColumnValues => {
    let invalid: Map<number, RawValue> | undefined;
    if (c.kind === 'number') {
      const values = new Float64Array(n);
      for (let r = 0; r < n; r++) {
        const v = records[r][c.name];
        if (v === null || v === undefined) values[r] = NaN;
        else if (typeof v === 'number' && v === v) values[r] = v;
        else {
          values[r] = NaN;
          (invalid ??= new Map()).set(r, v);
        }
      }
      return invalid === undefined ? { kind: 'number', name: c.name, values } : { kind: 'number', name: c.name, values, invalid };
    }
    const codes = new (codeArrayType(c.levels.length))(n);
    for (let r = 0; r < n; r++) {
      const v = records[r][c.name];
      if (v === null || v === undefined) continue;
      const code = typeof v === c.valueType ? c.codeOf.get(v) : undefined;
      if (code !== undefined) codes[r] = code;
      else {
        codes[r] = c.fallback;
        (invalid ??= new Map()).set(r, v);
      }
    }
    return invalid === undefined ? { kind: 'code', name: c.name, levels: c.levels, codes } : { kind: 'code', name: c.name, levels: c.levels, codes, invalid };
  });
  return { rows: n, columns };
}

/** How each input column of a spec is stored: worked out once per spec, as a single request is converted too. */
export type ColumnPlan =
  | { kind: 'number'; name: string }
  | { kind: 'code'; name: string; levels: readonly (string | boolean)[]; codeOf: ReadonlyMap<unknown, number>; valueType: 'string' | 'boolean'; fallback: number };

const plans = new WeakMap<DatasetSpec, ColumnPlan[]>();

export function columnPlan(spec: DatasetSpec): ColumnPlan[] {
  let plan = plans.get(spec);
  if (plan === undefined) {
    plan = spec.columns.map((c): ColumnPlan => {
      if (c.type === 'number' || c.type === 'integer') return { kind: 'number', name: c.name };
      const levels = Object.freeze(columnLevels(spec, c.name));
      const codeOf = new Map<unknown, number>(levels.map((level, k) => [level, k + 1]));
      // An unlisted category reads as Unknown (the last level), a boolean of the wrong type as missing.
      return c.type === 'category'
        ? { kind: 'code', name: c.name, levels, codeOf, valueType: 'string', fallback: levels.length }
        : { kind: 'code', name: c.name, levels, codeOf, valueType: 'boolean', fallback: 0 };
    });
    plans.set(spec, plan);
  }
  return plan;
}

/** Row `r` of the columns as a typed record (null where missing), keys in column order. */
export function recordAt(data: DatasetColumns, r: number): RawRecord {
  const record: RawRecord = {};
  for (const c of data.columns) {
    const bad = c.invalid?.get(r);
    if (bad !== undefined) record[c.name] = bad;
    else if (c.kind === 'number') record[c.name] = c.values[r] === c.values[r] ? c.values[r] : null;
    else record[c.name] = c.codes[r] === 0 ? null : c.levels[c.codes[r] - 1];
  }
  return record;
}

/** The column named `name`; throws naming what is there when it is absent. */
export function columnNamed(data: DatasetColumns, name: string): ColumnValues {
  const column = data.columns.find((c) => c.name === name);
  if (column === undefined) throw new Error(`the data has no column "${name}" (it has ${data.columns.map((c) => `"${c.name}"`).join(', ')})`);
  return column;
}
