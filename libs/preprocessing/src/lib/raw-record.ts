/**
 * One typed input row, keyed by column name: numbers are numbers, categories strings, booleans
 * booleans; a missing value is null or undefined. Produced by `RowCoercer` from CSV cells, or given as
 * JSON and checked by `validateRecord`.
 */
export type RawValue = number | string | boolean | null | undefined;
export type RawRecord = Record<string, RawValue>;

/** Which check a value failed. */
export type FieldRule =
  | 'type'
  | 'integer'
  | 'range'
  | 'category'
  | 'missing'
  | 'absent'
  | 'target'
  | 'id'
  | 'duplicate_id'
  | 'duplicate_row'
  | 'field_count'
  | 'unknown_field';

/** One problem with one value. `message` names the column and is meant for people. */
export interface FieldError {
  /** The column at fault; absent for row-level problems (field count, duplicate row). */
  column?: string;
  rule: FieldRule;
  message: string;
}
