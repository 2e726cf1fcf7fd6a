import type { Matrix } from '../lib/model';
import { SeededRandom } from '@purchase/core';

/**
 * Seeded labelled data for the trees' specs: three features, uniform in [-1, 1], label drawn from
 * logit = 3*x0 + (x1 > 0.3 ? 1 : -1) (x2 is noise), so x0 matters most, x1 less, x2 not at all.
 * `missing` is the share of cells blanked to NaN after the label is drawn.
 */
export function syntheticClassification(rows: number, seed: number, missing = 0): { X: Matrix; y: Uint8Array } {
  const random = new SeededRandom(seed);
  const cols = 3;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const o = r * cols;
    for (let c = 0; c < cols; c++) data[o + c] = random.next() * 2 - 1;
    const logit = 3 * data[o] + (data[o + 1] > 0.3 ? 1 : -1);
    y[r] = random.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    for (let c = 0; c < cols; c++) if (random.next() < missing) data[o + c] = NaN;
  }
  return { X: { data, rows, cols }, y };
}
