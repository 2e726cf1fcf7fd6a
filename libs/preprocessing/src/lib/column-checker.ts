import { UNKNOWN_CATEGORY, type ColumnSpec, type DatasetSpec } from './dataset-spec';
import { missingTextTest } from './missing-text';
import type { FieldError, RawValue } from './raw-record';
import { describeValue } from '@purchase/core';

/** What to do with a category value the spec does not list: an error (training) or keep it (serving, where it encodes as Unknown). */

// Plain decimal or scientific notation, nothing else: Number() alone would also accept '', ' 1 ', '0x10' and 'Infinity'.
const NUMBER_TEXT = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;


/**
 * The checks of one input column, compiled once from the spec: parses a CSV cell's text into a typed
 * value, or checks a JSON value, and returns either the value or a FieldError with an exact message.
 * Nothing is coerced silently: "6.0" is read as the integer 6 (same number), "6.5" is not an integer.
 */
export class ColumnChecker {
  readonly name: string;
  private readonly column: ColumnSpec;
  private readonly isMissingText: (cell: string) => boolean;
  private readonly allowed: ReadonlySet<string>;
  private readonly rejectMissing: boolean;

  constructor(spec: DatasetSpec, column: ColumnSpec) {
    this.name = column.name;
    this.column = column;
    this.isMissingText = missingTextTest(spec.missingValues);
    this.allowed = new Set(column.type === 'category' ? [...column.categories, UNKNOWN_CATEGORY] : []);
    this.rejectMissing = column.missing.rule === 'reject';
  }

  /** A CSV cell's text -> typed value (null when missing) or the error. */
  fromCell(cell: string): RawValue | FieldError {
    if (this.isMissingText(cell)) return this.missing();
    const c = this.column;
    switch (c.type) {
      case 'number':
      case 'integer': {
        if (!NUMBER_TEXT.test(cell)) return this.error('type', `expected ${c.type === 'integer' ? 'an integer' : 'a number'}, got ${describeValue(cell)}`);
        return this.checkNumber(Number(cell), cell);
      }
      case 'category':
        return this.checkCategory(cell);
      case 'boolean': {
        const lower = cell.toLowerCase();
        if (lower === 'true' || cell === '1') return true;
        if (lower === 'false' || cell === '0') return false;
        return this.error('type', `expected true/false or 1/0, got ${describeValue(cell)}`);
      }
    }
  }

  /** A JSON value -> the same value (null when missing) or the error. */
  fromValue(value: unknown): RawValue | FieldError {
    if (value === null || value === undefined) return this.missing();
    const c = this.column;
    switch (c.type) {
      case 'number':
      case 'integer':
        if (typeof value !== 'number') return this.error('type', `expected ${c.type === 'integer' ? 'an integer' : 'a number'}, got ${describeValue(value)}`);
        return this.checkNumber(value, value);
      case 'category':
        if (typeof value !== 'string') return this.error('type', `expected a category (a string), got ${describeValue(value)}`);
        return this.checkCategory(value);
      case 'boolean':
        return typeof value === 'boolean' ? value : this.error('type', `expected true or false, got ${describeValue(value)}`);
    }
  }

  private missing(): null | FieldError {
    return this.rejectMissing ? this.error('missing', 'is missing and its missing-value rule is "reject"') : null;
  }

  /** `original` (the cell text or JSON value) is shown in messages; formatted only on error. */
  private checkNumber(n: number, original: string | number): number | FieldError {
    const c = this.column;
    if (c.type !== 'number' && c.type !== 'integer') throw new Error('unreachable');
    if (!Number.isFinite(n)) return this.error('type', `expected a finite number, got ${describeValue(original)}`);
    if (c.type === 'integer' && !Number.isInteger(n)) return this.error('integer', `expected an integer, got ${describeValue(original)}`);
    if (c.min !== undefined && n < c.min) return this.error('range', `${n} is below the minimum ${c.min}`);
    if (c.max !== undefined && n > c.max) return this.error('range', `${n} is above the maximum ${c.max}`);
    return n;
  }

  private checkCategory(value: string): string | FieldError {
    if (this.allowed.has(value)) return value;
    return this.error('category', `${describeValue(value)} is not one of ${[...this.allowed].map(describeValue).join(', ')}`);
  }

  private error(rule: FieldError['rule'], message: string): FieldError {
    return { column: this.name, rule, message: `${this.name}: ${message}` };
  }
}

/** True when a checker's result is an error rather than a value (values are never objects). */
export function isFieldError(v: RawValue | FieldError): v is FieldError {
  return typeof v === 'object' && v !== null;
}
