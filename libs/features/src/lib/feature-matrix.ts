/**
 * A dense row-major matrix of model features with its column names: element (r, c) is
 * data[r * cols + c]. Structurally a `Matrix` of @purchase/models, so it goes straight to a model.
 */
export interface FeatureMatrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly columnNames: readonly string[];
}
