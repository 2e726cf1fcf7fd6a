import type { DatasetSpec } from './dataset-spec';
import { ColumnChecker, isFieldError } from './column-checker';
import type { FieldError, RawRecord } from './raw-record';

export interface ValidateRecordOptions {
  /** Default false: a key that is not an input, id or target column of the spec is an error. */
  allowUnknownFields?: boolean;
}

const cache = new WeakMap<DatasetSpec, ColumnChecker[]>();

function checkersFor(spec: DatasetSpec): ColumnChecker[] {
  let checkers = cache.get(spec);
  if (!checkers) cache.set(spec, (checkers = spec.columns.map((c) => new ColumnChecker(spec, c))));
  return checkers;
}

/**
 * Checks a record given as JSON (an API request, a test) against the spec: type, integer, range,
 * category, missing under a "reject" rule, unknown fields. Returns every problem, [] when valid.
 * Missing values (null or absent) are fine where the column's rule imputes them.
 */
export function validateRecord(spec: DatasetSpec, record: RawRecord, options: ValidateRecordOptions = {}): FieldError[] {
  const errors: FieldError[] = [];
  for (const checker of checkersFor(spec)) {
    const v = checker.fromValue(record[checker.name]);
    if (isFieldError(v)) errors.push(v);
  }
  if (!options.allowUnknownFields) {
    for (const key of Object.keys(record)) {
      if (key === spec.idColumn || key === spec.target.column || spec.columns.some((c) => c.name === key)) continue;
      errors.push({ column: key, rule: 'unknown_field', message: `${key}: not a field of spec "${spec.name}"` });
    }
  }
  return errors;
}
