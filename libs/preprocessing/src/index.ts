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
  type CsvDialect,
} from './lib/dataset-spec';
export { DEFAULT_CSV_DIALECT, csvDialectOf, delimiterName, dialectCharacterProblem } from './lib/csv-dialect';
export { readCsvRecords, MAX_RECORD_LENGTH, type CsvRecordBatch, type CsvSyntaxProblem, type ReadCsvOptions } from './lib/read-csv-records';
export { parseSpec } from './lib/parse-spec';
export { loadSpec } from './lib/load-spec';
export type { RawValue, RawRecord, FieldRule, FieldError } from './lib/raw-record';
export { ColumnChecker, isFieldError } from './lib/column-checker';
export { RowCoercer, requiredColumns, type RowCoercerOptions, type CoercedRow, type ReadRow } from './lib/row-coercer';
export { validateRecord, type ValidateRecordOptions } from './lib/validate-record';
export { readDataset, type ReadDatasetOptions } from './lib/read-dataset';
export { DatasetValidator } from './lib/dataset-validator';
export { validateRows, type DatasetReadResult, type ReadReport, type RejectedRow, type ValidateRowsOptions } from './lib/validate-rows';
export {
  columnsFromRecords,
  columnNamed,
  columnLevels,
  recordAt,
  type DatasetColumns,
  type ColumnValues,
  type NumberColumnValues,
  type CodeColumnValues,
  type CodeArray,
} from './lib/dataset-columns';
export { formatReadReport, type ReadReportOptions } from './lib/read-report';
export { Imputer, IMPUTER_FORMAT, IMPUTER_FORMAT_VERSION, type ImputedColumn, type ImputerJSON } from './lib/imputer';
export { stratifiedSplit, splitCounts, type Split, type SplitOptions } from './lib/stratified-split';
