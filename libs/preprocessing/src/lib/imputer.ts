import { UNKNOWN_CATEGORY, type ColumnSpec, type DatasetSpec, type MissingRuleName } from './dataset-spec';
import { describeValue, DocumentProblems, isObject, medianInPlace } from '@purchase/core';
import { columnNamed, columnsFromRecords, type ColumnValues, type DatasetColumns } from './dataset-columns';
import type { RawRecord } from './raw-record';

export const IMPUTER_FORMAT = 'purchase-imputer';
export const IMPUTER_FORMAT_VERSION = 1;

/** The fitted fill of one column: null for the "reject" rule (a missing value is an error there). */
export interface ImputedColumn {
  column: string;
  rule: MissingRuleName;
  value: number | string | boolean | null;
}

export interface ImputerJSON {
  format: typeof IMPUTER_FORMAT;
  formatVersion: typeof IMPUTER_FORMAT_VERSION;
  /** How many training records the statistics were computed from. */
  fittedRows: number;
  columns: ImputedColumn[];
}

/** The row of the i-th training record: rows[i], or i itself when every row is a training row. */
const rowOf = (rows: Uint32Array | undefined, i: number): number => (rows === undefined ? i : rows[i]);

function fitColumn(column: ColumnSpec, data: ColumnValues, rows: Uint32Array | undefined, n: number): ImputedColumn {
  const { name } = column;
  const m = column.missing;
  switch (m.rule) {
    case 'reject':
      return { column: name, rule: 'reject', value: null };
    case 'constant':
      return { column: name, rule: 'constant', value: m.value };
    case 'median':
    case 'mean': {
      if (data.kind !== 'number') throw new Error(`cannot fit the ${m.rule} of "${name}": it is not a number column`);
      const values = new Float64Array(n);
      const source = data.values;
      let count = 0;
      for (let i = 0; i < n; i++) {
        const r = rowOf(rows, i);
        const v = source[r];
        if (v - v === 0) values[count++] = v; // finite
        else if (v === v || data.invalid?.has(r)) {
          const shown = data.invalid?.get(r) ?? v;
          throw new Error(`cannot fit the ${m.rule} of "${name}": training record ${i} has ${JSON.stringify(shown) ?? String(shown)}, not a finite number`);
        }
      }
      if (count === 0) throw new Error(`cannot fit the ${m.rule} of "${name}": it is missing in all ${n} training records`);
      let value: number;
      if (m.rule === 'median') value = medianInPlace(values.subarray(0, count));
      else {
        let sum = 0;
        for (let i = 0; i < count; i++) sum += values[i];
        value = sum / count;
      }
      // An integer column is filled with an integer: the mean (or a median between two values) rounded half up.
      if (column.type === 'integer') value = Math.round(value);
      return { column: name, rule: m.rule, value };
    }
    case 'most_frequent': {
      // Ties go to the earliest candidate: the spec's category order (then Unknown), or false before true.
      const candidates: (string | boolean)[] = column.type === 'category' ? [...column.categories, UNKNOWN_CATEGORY] : [false, true];
      const counts = new Float64Array(candidates.length);
      if (data.kind === 'code') {
        // Candidate index of each code (-1: not a candidate); code 0 is missing.
        const candidateOf = Int32Array.from([null, ...data.levels], (level) => (level === null ? -1 : candidates.indexOf(level)));
        for (let i = 0; i < n; i++) {
          const r = rowOf(rows, i);
          const k = candidateOf[data.codes[r]];
          if (k >= 0 && !data.invalid?.has(r)) counts[k]++;
        }
      }
      let best = 0;
      for (let k = 1; k < candidates.length; k++) if (counts[k] > counts[best]) best = k;
      if (counts[best] === 0) throw new Error(`cannot fit the most frequent value of "${name}": it is missing in all ${n} training records`);
      return { column: name, rule: 'most_frequent', value: candidates[best] };
    }
  }
}

function fillMatches(column: ColumnSpec, value: unknown): boolean {
  if (column.missing.rule === 'reject') return value === null;
  if (column.type === 'category') return typeof value === 'string' && (value === UNKNOWN_CATEGORY || column.categories.includes(value));
  if (column.type === 'boolean') return typeof value === 'boolean';
  return typeof value === 'number' && Number.isFinite(value) && (column.type === 'number' || Number.isInteger(value));
}

/**
 * Missing-value imputation by the spec's rules, fitted on training records only and then fixed.
 * Fitted state is plain JSON (toJSON / fromJSON).
 */
export class Imputer {
  private readonly byName: ReadonlyMap<string, ImputedColumn>;

  private constructor(
    readonly spec: DatasetSpec,
    readonly columns: readonly ImputedColumn[],
    readonly fittedRows: number,
  ) {
    this.byName = new Map(columns.map((c) => [c.column, c]));
  }

  /** Computes each column's fill from `records` (the training split). Missing = null or undefined. */
  static fit(spec: DatasetSpec, records: readonly RawRecord[]): Imputer {
    return Imputer.fitColumns(spec, columnsFromRecords(spec, records));
  }

  /**
   * Computes each column's fill from the training rows of `data` (`rows`, ascending; default all),
   * as `fit` does from records: "training record i" in a message is the i-th of those rows.
   */
  static fitColumns(spec: DatasetSpec, data: DatasetColumns, rows?: Uint32Array): Imputer {
    const n = rows === undefined ? data.rows : rows.length;
    if (n === 0) throw new Error('cannot fit the imputer on 0 training records');
    return new Imputer(
      spec,
      spec.columns.map((c) => fitColumn(c, columnNamed(data, c.name), rows, n)),
      n,
    );
  }

  /** The value that replaces a missing cell of `column` (null under the "reject" rule). */
  fillFor(column: string): number | string | boolean | null {
    const fill = this.byName.get(column);
    if (!fill) throw new Error(`"${column}" is not an input column of spec "${this.spec.name}"`);
    return fill.value;
  }

  /** A new record with every missing input value filled (the argument is not changed). */
  impute(record: RawRecord): RawRecord {
    const out: RawRecord = { ...record };
    for (const c of this.columns) {
      const v = out[c.column];
      if (v === null || v === undefined) out[c.column] = c.value;
    }
    return out;
  }

  toJSON(): ImputerJSON {
    return {
      format: IMPUTER_FORMAT,
      formatVersion: IMPUTER_FORMAT_VERSION,
      fittedRows: this.fittedRows,
      columns: this.columns.map((c) => ({ ...c })),
    };
  }

  /**
   * Loads a fitted imputer, checking it was fitted for `spec` (same columns, order and rules); every
   * problem is collected, each at its path, and reported in one Error.
   */
  static fromJSON(json: unknown, spec: DatasetSpec, source = 'imputer'): Imputer {
    const p = new DocumentProblems();
    if (!isObject(json)) {
      p.add('', `expected an object, got ${describeValue(json)}`);
      p.throwIfAny(source, 'imputer');
    }
    const doc = json as Partial<ImputerJSON>;
    if (doc.format !== IMPUTER_FORMAT) p.add('format', `must be "${IMPUTER_FORMAT}", got ${describeValue(doc.format)}`);
    if (doc.formatVersion !== IMPUTER_FORMAT_VERSION) {
      p.add('formatVersion', `${describeValue(doc.formatVersion)} is not supported (this code reads version ${IMPUTER_FORMAT_VERSION})`);
    }
    p.throwIfAny(source, 'imputer');
    if (!Number.isInteger(doc.fittedRows) || (doc.fittedRows as number) < 1) p.add('fittedRows', `must be a positive integer, got ${describeValue(doc.fittedRows)}`);
    const columns: ImputedColumn[] = [];
    if (!Array.isArray(doc.columns) || doc.columns.length !== spec.columns.length) {
      const got = Array.isArray(doc.columns) ? doc.columns.length : describeValue(doc.columns);
      p.add('columns', `must list the ${spec.columns.length} input columns of spec "${spec.name}", got ${got}`);
    } else {
      doc.columns.forEach((entry: unknown, i) => {
        const expected = spec.columns[i];
        const c = (isObject(entry) ? entry : {}) as Partial<ImputedColumn>;
        const at = `columns[${i}]`;
        if (c.column !== expected.name) p.add(at, `is for ${describeValue(c.column)}, the spec's column ${i + 1} is "${expected.name}"`);
        if (c.rule !== expected.missing.rule) p.add(at, `("${expected.name}") has rule ${describeValue(c.rule)}, the spec says "${expected.missing.rule}"`);
        if (!fillMatches(expected, c.value)) p.add(at, `("${expected.name}") has the fill ${describeValue(c.value)}, not a valid ${expected.type} value`);
        columns.push({ column: expected.name, rule: expected.missing.rule, value: c.value as ImputedColumn['value'] });
      });
    }
    p.throwIfAny(source, 'imputer');
    return new Imputer(spec, columns, doc.fittedRows as number);
  }
}
