export {
  SPEC_FORMAT,
  SPEC_FORMAT_VERSION,
  UNKNOWN_CATEGORY,
  type ColumnType,
  type MissingRule,
  type MissingRuleName,
  type NumericColumnSpec,
  type CategoryColumnSpec,
  type BooleanColumnSpec,
  type ColumnSpec,
  type MeanOfScaledSpec,
  type RatioPlusOneSpec,
  type BehavioralSegmentSpec,
  type EngineeredFeatureSpec,
  type EngineeredKind,
  type CostSpec,
  type DatasetSpec,
} from './lib/dataset-spec';
export { parseSpec } from './lib/parse-spec';
export { loadSpec } from './lib/load-spec';
export type { RawValue, RawRecord, FieldRule, FieldError } from './lib/raw-record';
export { ColumnChecker, isFieldError } from './lib/column-checker';
export { RowCoercer, requiredColumns, type RowCoercerOptions, type CoercedRow } from './lib/row-coercer';
export { validateRecord, type ValidateRecordOptions } from './lib/validate-record';
export { splitCsvLine, findCsvSyntaxError, CsvSyntaxError } from './lib/csv-line';
export { readDataset } from './lib/read-dataset';
export { validateRows, type DatasetReadResult, type ReadReport, type RejectedRow } from './lib/validate-rows';
export { formatReadReport, type ReadReportOptions } from './lib/read-report';
export { Imputer, IMPUTER_FORMAT, IMPUTER_FORMAT_VERSION, type ImputedColumn, type ImputerJSON } from './lib/imputer';
export { stratifiedSplit, splitCounts, type Split, type SplitOptions } from './lib/stratified-split';
