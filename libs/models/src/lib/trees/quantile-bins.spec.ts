import fc from 'fast-check';
import type { Matrix } from '../model';
import { binColumns, binOf, fitBinCuts, MAX_CUT_SAMPLE, missingBin } from './quantile-bins';

const column = (values: number[]): Matrix => ({ data: Float32Array.from(values), rows: values.length, cols: 1 });

describe('fitBinCuts', () => {
  it('gives few distinct values one bin each, cut half-way between neighbours', () => {
    expect(Array.from(fitBinCuts(column([3, 1, 2, 2, NaN, 1, 10]), 255)[0])).toEqual([1.5, 2.5, 6.5]);
  });

  it('cuts many distinct values into at most maxBins bins of about equal counts', () => {
    const values = Array.from({ length: 1000 }, (_, i) => i);
    const cuts = fitBinCuts(column(values), 10)[0];
    expect(cuts.length).toBe(9);
    const counts = new Array(10).fill(0);
    for (const v of values) counts[binOf(v, cuts)]++;
    expect(counts).toEqual(new Array(10).fill(100));
  });

  it('never splits a heavy value across bins, and still uses the bins left for the rest', () => {
    // Half the rows are 0: it is one bin; the other 500 distinct values share the remaining bins.
    const values = [...new Array(500).fill(0), ...Array.from({ length: 500 }, (_, i) => i + 1)];
    const cuts = fitBinCuts(column(values), 6)[0];
    expect(cuts.length).toBe(5);
    expect(cuts[0]).toBe(0.5);
    const counts = new Array(6).fill(0);
    for (const v of values) counts[binOf(v, cuts)]++;
    expect(counts).toEqual([500, 100, 100, 100, 100, 100]);
  });

  it('cuts a large column from a seeded sample of rows, still into bins of about equal counts', () => {
    const rows = MAX_CUT_SAMPLE + 50_000;
    const values = Float32Array.from({ length: rows }, (_, i) => (i * 7919) % rows); // a permutation of 0..rows-1
    const X: Matrix = { data: values, rows, cols: 1 };
    const cuts = fitBinCuts(X, 10, 1)[0];
    expect(cuts.length).toBe(9);
    const counts = new Array(10).fill(0);
    for (const v of values) counts[binOf(v, cuts)]++;
    // Exact quantiles would give 25,000 per bin; a 200k sample is within 2% of that.
    for (const c of counts) expect(Math.abs(c - rows / 10) / (rows / 10)).toBeLessThan(0.02);
    expect(fitBinCuts(X, 10, 1)[0]).toEqual(cuts);
    expect(fitBinCuts(X, 10, 2)[0]).not.toEqual(cuts);
  });

  it('keeps cuts finite next to infinite values', () => {
    expect(Array.from(fitBinCuts(column([-Infinity, 0, Infinity]), 255)[0])).toEqual([-Number.MAX_VALUE, Number.MAX_VALUE]);
  });

  it('gives an all-missing column no cut', () => {
    expect(fitBinCuts(column([NaN, NaN]), 255)[0].length).toBe(0);
  });

  it('checks maxBins', () => {
    expect(() => fitBinCuts(column([1]), 1)).toThrow('maxBins must be an integer in [2, 255], got 1');
  });
});

describe('binOf and binColumns', () => {
  it('put a value in bin b exactly when it is above cut b-1 and at most cut b (the split test on raw values)', () => {
    fc.assert(
      fc.property(fc.array(fc.float({ noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 2, max: 255 }), (values, maxBins) => {
        const cuts = fitBinCuts(column(values), maxBins)[0];
        expect(cuts.length).toBeLessThan(maxBins);
        for (const v of values) {
          const b = binOf(v, cuts);
          for (let k = 0; k < cuts.length; k++) expect(b <= k).toBe(v <= cuts[k]);
        }
      }),
    );
  });

  it('codes NaN as the bin after the last real one, column by column', () => {
    const X: Matrix = { data: Float32Array.of(1, 5, NaN, 6, 3, NaN), rows: 3, cols: 2 };
    const cuts = fitBinCuts(X, 255);
    expect(cuts.map((c) => Array.from(c))).toEqual([[2], [5.5]]);
    expect(missingBin(cuts[0])).toBe(2);
    expect(binColumns(X, cuts).map((c) => Array.from(c))).toEqual([
      [0, 2, 1],
      [0, 1, 2],
    ]);
  });
});
