import type { Matrix } from '../lib/model';
import { SeededRandom } from '@purchase/core';

/**
 * Test data with the two non-linear effects of the project's session generator, as plain numbers
 * (the models lib knows no schema): time on site helps returning visitors and hurts new ones (an
 * interaction), and sessions of <= 3 pages lose 1.6 logits (a threshold). Columns: standardised
 * time, returning (0/1), pages viewed / 10, one noise column.
 */
export function nonLinearSessions(rows: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new SeededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
  const cols = 4;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const time = normal();
    const returning = rng.next() < 0.5 ? 1 : 0;
    const pages = 1 + Math.floor(rng.next() * 12);
    const logit = 0.3 + (returning ? 1.8 : -1.8) * time - (pages <= 3 ? 1.6 : 0);
    data.set([time, returning, pages / 10, normal()], r * cols);
    y[r] = rng.next() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { X: { data, rows, cols }, y };
}
