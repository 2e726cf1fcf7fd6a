import type { DatasetSpec, ImputerJSON } from '@purchase/preprocessing';
import type { SegmentMedians } from './behavioral-segment';

/**
 * The on-disk shape of a fitted feature pipeline: one JSON document, carried by the model bundle as
 * pipeline.json. Everything a transform needs is here (the spec it was fitted for, imputation fills,
 * scaling ranges, category lists, segment medians, column order); the serving path never fits.
 */
export const PIPELINE_FORMAT = 'purchase-feature-pipeline';
export const PIPELINE_FORMAT_VERSION = 1;

/** How one input column becomes model columns, one entry per spec column, in spec order. */
export type InputEncoding =
  /** one column, (x - min) / (max - min) clipped to [0, 1]; min and max from the imputed training values */
  | { column: string; encoding: 'min_max'; min: number; max: number }
  /** one column per category (the spec's, then Unknown); an unseen value sets Unknown */
  | { column: string; encoding: 'one_hot'; categories: string[] }
  /** one column, 1 for true, 0 for false */
  | { column: string; encoding: 'boolean' };

/** The fitted state of one engineered feature, one entry per spec entry, in spec order. */
export type EngineeredState =
  /** one column: the mean of its inputs' min-max-scaled values (already in [0, 1], not rescaled) */
  | { name: string; kind: 'mean_of_scaled' }
  /** one column: numerator / (denominator + 1), min-max-scaled with its training range */
  | { name: string; kind: 'ratio_plus_one'; min: number; max: number }
  /** one column per segment (SEGMENTS order), by the rules with these training medians */
  | { name: string; kind: 'behavioral_segment'; medians: SegmentMedians };

export interface PipelineJSON {
  format: typeof PIPELINE_FORMAT;
  formatVersion: typeof PIPELINE_FORMAT_VERSION;
  spec: DatasetSpec;
  imputer: ImputerJSON;
  /** Number of training records it was fitted on. */
  fittedRows: number;
  inputs: InputEncoding[];
  engineered: EngineeredState[];
  /** The model columns, in matrix order. Checked against the state above when loaded. */
  columnNames: string[];
}
