/**
 * The dataset spec: the one description of a tabular dataset (its id, target and input columns, their
 * types, allowed values and missing-value rules, and the engineered features built from them). Every
 * schema-aware step (reading, validation, imputation, features, API docs) reads it; no code names a
 * column of a particular dataset. The on-disk format is documented in data/specs/README.md.
 */

export const SPEC_FORMAT = 'purchase-dataset-spec';
export const SPEC_FORMAT_VERSION = 1;

export type ColumnType = 'number' | 'integer' | 'category' | 'boolean';

/** The text every category column also accepts and encodes: missing or unseen values map to it. */
export const UNKNOWN_CATEGORY = 'Unknown';

/**
 * What to do with a missing cell. `median` and `mean` are fitted on the training rows (rounded half
 * up for integer columns, so an integer column is always filled with an integer); `most_frequent` takes the commonest training value (ties: the
 * earliest in the spec's category order, or false before true); `constant` uses `value`; `reject` makes
 * a missing cell an error (the row is rejected in training, the request refused at serving).
 */
export type MissingRule =
  | { rule: 'median' }
  | { rule: 'mean' }
  | { rule: 'most_frequent' }
  | { rule: 'constant'; value: number | string | boolean }
  | { rule: 'reject' };

export type MissingRuleName = MissingRule['rule'];

interface ColumnBase {
  name: string;
  description?: string;
  missing: MissingRule;
}

export interface NumericColumnSpec extends ColumnBase {
  type: 'number' | 'integer';
  /** Inclusive bounds; a value outside them is an error. */
  min?: number;
  max?: number;
  unit?: string;
}

export interface CategoryColumnSpec extends ColumnBase {
  type: 'category';
  /** Every allowed value as written in the data; "Unknown" is always accepted in addition. */
  categories: string[];
}

/** Accepts true/false (any case) and 1/0 in CSV cells, JSON booleans in records. */
export interface BooleanColumnSpec extends ColumnBase {
  type: 'boolean';
}

export type ColumnSpec = NumericColumnSpec | CategoryColumnSpec | BooleanColumnSpec;

/** mean of the min-max-scaled inputs (e.g. engagement_score from time_spent and pages_viewed). */
export interface MeanOfScaledSpec {
  name: string;
  kind: 'mean_of_scaled';
  inputs: string[];
  description?: string;
}

/** numerator / (denominator + 1) (e.g. basket_intensity = basket_value / (pages_viewed + 1)). */
export interface RatioPlusOneSpec {
  name: string;
  kind: 'ratio_plus_one';
  numerator: string;
  denominator: string;
  description?: string;
}

/**
 * The reference's four behavioural segments, from three numeric columns and their training medians,
 * first matching rule wins: time > med and pages > med -> high_engagement; basket > med and
 * pages <= med -> focused_shopper; time > med and basket <= med -> window_shopper; else casual_browser.
 */
export interface BehavioralSegmentSpec {
  name: string;
  kind: 'behavioral_segment';
  time: string;
  pages: string;
  basket: string;
  description?: string;
}

export type EngineeredFeatureSpec = MeanOfScaledSpec | RatioPlusOneSpec | BehavioralSegmentSpec;
export type EngineeredKind = EngineeredFeatureSpec['kind'];

/** The business value of a decision, for threshold choice: profit = TP * foundPurchaseValue - FP * nonBuyerTargetingCost. */
export interface CostSpec {
  foundPurchaseValue: number;
  nonBuyerTargetingCost: number;
  currency?: string;
}

/**
 * How the dataset's CSV files are written: the field delimiter and the quote character (RFC 4180
 * with other characters: a quote inside a quoted field is doubled). Default `,` and `"`.
 */
export interface CsvDialect {
  delimiter: string;
  quote: string;
}

export interface DatasetSpec {
  format: typeof SPEC_FORMAT;
  formatVersion: typeof SPEC_FORMAT_VERSION;
  name: string;
  description?: string;
  /** null: the file has no id column, and a row is identified by its line number (header = line 1). */
  idColumn: string | null;
  /** How id cells are checked: any non-empty text, or an integer. */
  idType: 'string' | 'integer';
  target: { column: string; positive: string; negative: string };
  /** Cell texts that mean "missing" (default [""]). */
  missingValues: string[];
  /** What to do with a row whose cells all equal an earlier row's (checked only without an id column). */
  duplicateRows: 'keep' | 'reject';
  columns: ColumnSpec[];
  engineered: EngineeredFeatureSpec[];
  costs?: CostSpec;
  /** The files' dialect when the spec declares one (both fields filled in); absent: `,` and `"`. */
  csv?: CsvDialect;
}
