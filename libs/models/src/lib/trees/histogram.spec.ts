import type { Matrix } from '../model';
import { HistogramBuilder, HistogramLayout } from './histogram';
import { binColumns, fitBinCuts } from './quantile-bins';
import { SeededRandom } from '@purchase/core';

/** Columns with `distinct[f]` distinct values each (so some features are grouped, some not), 10% missing. */
function randomMatrix(rows: number, distinct: number[], seed: number): Matrix {
  const random = new SeededRandom(seed);
  const cols = distinct.length;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = random.next() < 0.1 ? NaN : random.nextInt(distinct[i % cols]);
  return { data, rows, cols };
}

describe('HistogramBuilder', () => {
  it.each([
    ['few features, some grouped (one pass)', [3, 300, 5, 20]],
    ['many features (gathered, several passes)', [300, 2, 300, 300, 7, 300, 300, 300, 4, 300, 300]],
  ])('sums gradients, hessians and counts per bin exactly as a plain loop does: %s', (_what, distinct) => {
    const rows = 3000;
    const X = randomMatrix(rows, distinct, 1);
    const cuts = fitBinCuts(X, 64);
    const columns = binColumns(X, cuts);
    const layout = new HistogramLayout(cuts);
    const builder = new HistogramBuilder(layout, columns, rows);
    const random = new SeededRandom(2);
    const gradPairs = Float32Array.from({ length: 2 * rows }, (_, i) => (i % 2 === 0 ? random.next() - 0.5 : random.next()));
    // A node: every third row, from position 100 on, plus some rows before it that must be ignored.
    const rowIndex = Uint32Array.from({ length: rows }, (_, i) => i);
    const nodeRows = Uint32Array.from({ length: 900 }, (_, i) => 3 * i);
    rowIndex.set(nodeRows, 100);
    const features = Int32Array.from(distinct.keys());

    const hist = new Float64Array(layout.length).fill(NaN);
    builder.build(hist, features, features.length, rowIndex, 100, 1000, gradPairs);

    const expected = new Float64Array(layout.length);
    for (const r of nodeRows) {
      for (let f = 0; f < distinct.length; f++) {
        const s = layout.offset[f] + columns[f][r] * 3;
        expected[s] += gradPairs[2 * r];
        expected[s + 1] += gradPairs[2 * r + 1];
        expected[s + 2] += 1;
      }
    }
    for (let i = 0; i < hist.length; i++) expect(hist[i]).toBeCloseTo(expected[i], 10);
  });
});
