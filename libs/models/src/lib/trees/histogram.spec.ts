import type { Matrix } from '../model';
import { binColumns, fitBinCuts } from './quantile-bins';
import { SeededRandom } from '@purchase/core';
import { TrainingRows } from './training-rows';

/** Columns with `distinct[f]` distinct values each (so some features are grouped, some not), 10% missing. */
function randomMatrix(rows: number, distinct: number[], seed: number): Matrix {
  const random = new SeededRandom(seed);
  const cols = distinct.length;
  const data = new Float32Array(rows * cols);
  for (let i = 0; i < data.length; i++) data[i] = random.next() < 0.1 ? NaN : random.nextInt(distinct[i % cols]);
  return { data, rows, cols };
}

describe('TrainingRows.buildHistograms', () => {
  it.each([
    ['few features, some grouped (one pass)', [3, 300, 5, 20]],
    ['many features (gathered, several passes)', [300, 2, 300, 300, 7, 300, 300, 300, 4, 300, 300]],
  ])('sums gradient pairs per bin exactly as a plain loop does, on one thread and on two: %s', async (_what, distinct) => {
    const rows = 40_000;
    const X = randomMatrix(rows, distinct, 1);
    const cuts = fitBinCuts(X, 64);
    const columns = binColumns(X, cuts);
    const scale = 2 ** 20;
    const random = new SeededRandom(2);
    const pairs = Int32Array.from({ length: 2 * rows }, (_, i) => (i % 2 === 0 ? random.nextInt(2 * scale) - scale : 1 + random.nextInt(scale)));
    // Two nodes built in one run: every third row from position 100 (larger than one work item),
    // and 500 rows after it; the rows before position 100 must be ignored.
    const order = Uint32Array.from({ length: rows }, (_, i) => (3 * i) % rows);
    const nodes = [
      { start: 100, end: 25_100 },
      { start: 25_100, end: 25_600 },
    ];
    const features = Int32Array.from(distinct.keys());

    for (const threads of [1, 2]) {
      const training = await TrainingRows.open(X, { maxBins: 64, seed: 0, threads, gradScale: scale });
      try {
        expect(training.threadCount).toBe(threads);
        // The cuts found with the features sorted on the threads are fitBinCuts's.
        expect(training.cuts).toEqual(cuts);
        training.s.gradPairs.set(pairs);
        training.s.rowIndex.set(order);
        const { layout } = training;
        const hists = nodes.map(() => new Float64Array(layout.length).fill(NaN));
        training.buildHistograms(nodes, hists, features, features.length);
        nodes.forEach(({ start, end }, k) => {
          const expected = new Float64Array(layout.length);
          for (let i = start; i < end; i++) {
            const r = order[i];
            for (let f = 0; f < distinct.length; f++) {
              const s = layout.offset[f] + columns[f][r] * 2;
              expected[s] += pairs[2 * r];
              expected[s + 1] += pairs[2 * r + 1];
            }
          }
          // Sums of integers, in gradient units: exact, in any order.
          expect(hists[k]).toEqual(expected);
        });
      } finally {
        await training.close();
      }
    }
  });
});
