/** A dense row-major matrix: element (r, c) is data[r * cols + c]. NaN marks a missing value. */
export interface Matrix {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
}
