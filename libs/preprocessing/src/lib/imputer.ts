import { UNKNOWN_CATEGORY, type ColumnSpec, type DatasetSpec, type MissingRuleName } from './dataset-spec';
import { medianInPlace } from '@purchase/core';
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

function fitColumn(column: ColumnSpec, records: readonly RawRecord[]): ImputedColumn {
  const { name } = column;
  const m = column.missing;
  switch (m.rule) {
    case 'reject':
      return { column: name, rule: 'reject', value: null };
    case 'constant':
      return { column: name, rule: 'constant', value: m.value };
    case 'median':
    case 'mean': {
      const values = new Float64Array(records.length);
      let n = 0;
      records.forEach((r, i) => {
        const v = r[name];
        if (typeof v === 'number' && Number.isFinite(v)) values[n++] = v;
        else if (v !== null && v !== undefined) {
          throw new Error(`cannot fit the ${m.rule} of "${name}": training record ${i} has ${JSON.stringify(v) ?? String(v)}, not a finite number`);
        }
      });
      if (n === 0) throw new Error(`cannot fit the ${m.rule} of "${name}": it is missing in all ${records.length} training records`);
      let value: number;
      if (m.rule === 'median') value = medianInPlace(values.subarray(0, n));
      else {
        let sum = 0;
        for (let i = 0; i < n; i++) sum += values[i];
        value = sum / n;
      }
      // An integer column is filled with an integer: the mean (or a median between two values) rounded half up.
      if (column.type === 'integer') value = Math.round(value);
      return { column: name, rule: m.rule, value };
    }
    case 'most_frequent': {
      // Ties go to the earliest candidate: the spec's category order (then Unknown), or false before true.
      const candidates: (string | boolean)[] = column.type === 'category' ? [...column.categories, UNKNOWN_CATEGORY] : [false, true];
      const counts = new Map<unknown, number>(candidates.map((c) => [c, 0]));
      for (const r of records) {
        const v = r[name];
        if (counts.has(v)) counts.set(v, (counts.get(v) as number) + 1);
      }
      let best = candidates[0];
      for (const c of candidates) if ((counts.get(c) as number) > (counts.get(best) as number)) best = c;
      if (counts.get(best) === 0) throw new Error(`cannot fit the most frequent value of "${name}": it is missing in all ${records.length} training records`);
      return { column: name, rule: 'most_frequent', value: best };
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
    if (records.length === 0) throw new Error('cannot fit the imputer on 0 training records');
    return new Imputer(
      spec,
      spec.columns.map((c) => fitColumn(c, records)),
      records.length,
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

  /** Loads a fitted imputer, checking it was fitted for `spec` (same columns, order and rules). */
  static fromJSON(json: unknown, spec: DatasetSpec, source = 'imputer'): Imputer {
    const fail = (message: string): never => {
      throw new Error(`${source}: ${message}`);
    };
    if (typeof json !== 'object' || json === null) return fail(`expected an object, got ${JSON.stringify(json)}`);
    const doc = json as Partial<ImputerJSON>;
    if (doc.format !== IMPUTER_FORMAT) fail(`format must be "${IMPUTER_FORMAT}", got ${JSON.stringify(doc.format)}`);
    if (doc.formatVersion !== IMPUTER_FORMAT_VERSION) {
      fail(`formatVersion ${JSON.stringify(doc.formatVersion)} is not supported (this code reads version ${IMPUTER_FORMAT_VERSION})`);
    }
    if (!Number.isInteger(doc.fittedRows) || (doc.fittedRows as number) < 1) fail(`fittedRows must be a positive integer, got ${JSON.stringify(doc.fittedRows)}`);
    if (!Array.isArray(doc.columns) || doc.columns.length !== spec.columns.length) {
      fail(`columns must list the ${spec.columns.length} input columns of spec "${spec.name}", got ${Array.isArray(doc.columns) ? doc.columns.length : JSON.stringify(doc.columns)}`);
    }
    const columns = (doc.columns as unknown[]).map((entry, i): ImputedColumn => {
      const expected = spec.columns[i];
      const c = (entry ?? {}) as Partial<ImputedColumn>;
      if (c.column !== expected.name) fail(`columns[${i}] is for ${JSON.stringify(c.column)}, the spec's column ${i + 1} is "${expected.name}"`);
      if (c.rule !== expected.missing.rule) fail(`columns[${i}] ("${expected.name}") has rule ${JSON.stringify(c.rule)}, the spec says "${expected.missing.rule}"`);
      if (!fillMatches(expected, c.value)) fail(`columns[${i}] ("${expected.name}") has the fill ${JSON.stringify(c.value)}, not a valid ${expected.type} value`);
      return { column: expected.name, rule: expected.missing.rule, value: c.value as ImputedColumn['value'] };
    });
    return new Imputer(spec, columns, doc.fittedRows as number);
  }
}
