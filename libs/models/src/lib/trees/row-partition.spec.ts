import type { Matrix } from '../model';
import { binColumns, fitBinCuts, missingBin } from './quantile-bins';
import { SeededRandom } from '@purchase/core';
import { TrainingRows } from './training-rows';

describe('TrainingRows.partition', () => {
  it('moves the rows going left first, both sides keeping their order, on one thread (in place) and on two (in chunks)', async () => {
    const rows = 50_000;
    const random = new SeededRandom(3);
    const data = Float32Array.from({ length: rows * 2 }, () => (random.next() < 0.1 ? NaN : random.nextInt(40)));
    const X: Matrix = { data, rows, cols: 2 };
    const cuts = fitBinCuts(X, 255);
    const columns = binColumns(X, cuts);
    const order = Uint32Array.from({ length: rows }, (_, i) => (7 * i) % rows);
    // A large node (several chunks) whose missing values go left, a small one whose go right.
    const nodes = [
      { start: 10, end: 40_010, feature: 0, splitBin: 17, defaultLeft: true },
      { start: 40_010, end: 41_000, feature: 1, splitBin: 3, defaultLeft: false },
    ];
    const expected = Uint32Array.from(order);
    const sentLeft = nodes.map(({ start, end, feature, splitBin, defaultLeft }) => {
      const rowsOf = Array.from(order.subarray(start, end));
      const goesLeft = (r: number) => {
        const b = columns[feature][r];
        return b === missingBin(cuts[feature]) ? defaultLeft : b <= splitBin;
      };
      const left = rowsOf.filter(goesLeft);
      expected.set([...left, ...rowsOf.filter((r) => !goesLeft(r))], start);
      return left.length;
    });

    for (const threads of [1, 2]) {
      const training = await TrainingRows.open(X, { maxBins: 255, seed: 0, threads, gradScale: 1 });
      try {
        training.s.rowIndex.set(order);
        expect(training.partition(nodes)).toEqual(sentLeft);
        expect(training.s.rowIndex).toEqual(expected);
      } finally {
        await training.close();
      }
    }
  });
});
