import { UNKNOWN_CATEGORY, type ColumnType, type DatasetSpec, type MissingRuleName } from './dataset-spec';

/** One input field as a client sees it: for API docs, request validation and scoring-file help. */
export interface InputField {
  name: string;
  type: ColumnType;
  /** True when a missing value is accepted and imputed; false under the "reject" rule. */
  nullable: boolean;
  missingRule: MissingRuleName;
  description?: string;
  unit?: string;
  /** Inclusive bounds of number and integer fields. */
  min?: number;
  max?: number;
  /** Accepted values of category fields, "Unknown" last. */
  categories?: string[];
}

/** The spec's input fields (id and target excluded), in spec order. */
export function inputFields(spec: DatasetSpec): InputField[] {
  return spec.columns.map((c) => {
    const field: InputField = { name: c.name, type: c.type, nullable: c.missing.rule !== 'reject', missingRule: c.missing.rule };
    if (c.description !== undefined) field.description = c.description;
    if (c.type === 'number' || c.type === 'integer') {
      if (c.unit !== undefined) field.unit = c.unit;
      if (c.min !== undefined) field.min = c.min;
      if (c.max !== undefined) field.max = c.max;
    }
    if (c.type === 'category') field.categories = [...c.categories, UNKNOWN_CATEGORY];
    return field;
  });
}
