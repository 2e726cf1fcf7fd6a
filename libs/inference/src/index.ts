export {
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  BUNDLE_FILES,
  CURRENT_LINK,
  SAFE_NAME,
  BundleError,
  parseManifest,
} from './lib/bundle-format';
export type { BundleManifest, PackageVersions, SelectedModel } from './lib/bundle-format';
export { publishBundle } from './lib/publish-bundle';
export {
  currentVersion,
  diffBundles,
  HISTORY_FILE,
  listBundles,
  promoteBundle,
  pruneBundles,
  rollbackBundle,
  switchCurrent,
  readHistory,
  rollbackTarget,
  showBundle,
  type BundleDiffRow,
  type HistoryEntry,
  type PruneResult,
  type RegistryEntry,
  type SwitchReason,
} from './lib/registry';
export type { BundleContent, BundleModel, PublishedBundle } from './lib/publish-bundle';
export { importBundle } from './lib/import-bundle';
export type { ImportedBundle } from './lib/import-bundle';
export { loadBundle, verifyBundle } from './lib/verify-bundle';
export type { VerifiedBundle } from './lib/verify-bundle';
export { decide, CONFIDENCE_BANDS, CONFIDENCE_LEVELS } from './lib/decide';
export type { ConfidenceBand, Prediction } from './lib/decide';
export { PurchasePredictor, InvalidRecordError } from './lib/purchase-predictor';
export type { PredictorInfo } from './lib/purchase-predictor';
export { scoreCsvFile } from './lib/score-csv-file';
export { defaultErrorsPath } from './lib/csv-output';
export type { ScoreCsvOptions, ScoreCsvResult, ScoreProgress } from './lib/score-csv-file';
export { parseShard, shardRange, type Shard, type ShardRange } from './lib/csv-shards';
export { mergeScoredParts, partPath, PART_FORMAT, PART_FORMAT_VERSION, type MergeResult } from './lib/scored-parts';
// What a server needs of the bundle's dataset spec to derive its request contract from it
// (apps/api depends on this layer only).
export { UNKNOWN_CATEGORY, parseSpec, validateRecord } from '@purchase/preprocessing';
export type { ColumnSpec, DatasetSpec, FieldError, MissingRule, RawRecord } from '@purchase/preprocessing';
export { CALIBRATION_METHODS, type CalibrationMap, type CalibrationMethod } from '@purchase/models';
