import { type Matrix, rocAuc, SeededRandom } from '@purchase/core';
import { GradientBoostedTrees, RandomForest } from '@purchase/models';
import { permutationImportance, type ProbabilityModel } from './permutation-importance';

/** 3 columns: column 0 decides the label, column 1 helps a little, column 2 is ignored by the model. */
function data(rows: number): { X: Matrix; y: Uint8Array } {
  const rng = new SeededRandom(17);
  const X = new Float32Array(rows * 3);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    y[r] = rng.nextInt(2);
    X[r * 3] = y[r] + (rng.nextInt(1000) / 1000) * 1.2;
    X[r * 3 + 1] = y[r] * 0.3 + rng.nextInt(1000) / 1000;
    X[r * 3 + 2] = rng.nextInt(1000) / 1000;
  }
  return { X: { data: X, rows, cols: 3 }, y };
}

/** A fixed linear scorer that records every matrix it is shown. */
function spyModel(): ProbabilityModel & { seen: Float32Array[] } {
  const seen: Float32Array[] = [];
  return {
    seen,
    predictProba(X: Matrix): Float32Array {
      seen.push(X.data.slice());
      const p = new Float32Array(X.rows);
      for (let r = 0; r < X.rows; r++) p[r] = 1 / (1 + Math.exp(-(3 * X.data[r * 3] + X.data[r * 3 + 1] - 2)));
      return p;
    },
  };
}

describe('permutationImportance', () => {
  const { X, y } = data(300);

  it('ranks the columns the model uses, and gives exactly 0 to the one it ignores', () => {
    const model = spyModel();
    const result = permutationImportance(model, X, y, { seed: 1, repeats: 4, columnNames: ['a', 'b', 'c'] });
    expect(result.baselineRocAuc).toBe(rocAuc(y, model.predictProba(X)));
    expect(result.features.map((f) => f.name)).toEqual(['a', 'b', 'c']);
    const [a, b, c] = result.features;
    expect(a.meanDrop).toBeGreaterThan(0.2);
    expect(b.meanDrop).toBeGreaterThan(0);
    expect(b.meanDrop).toBeLessThan(a.meanDrop);
    expect(c).toEqual({ column: 2, name: 'c', meanDrop: 0, sdDrop: 0, drops: [0, 0, 0, 0] });
    expect(a.drops).toHaveLength(4);
    const mean = a.drops.reduce((s, d) => s + d, 0) / 4;
    expect(a.meanDrop).toBeCloseTo(mean, 15);
    expect(a.sdDrop).toBeCloseTo(Math.sqrt(a.drops.reduce((s, d) => s + (d - mean) ** 2, 0) / 4), 15);
  });

  it('shuffles one column at a time in a copy, restoring it, and never touches X', () => {
    const model = spyModel();
    const before = X.data.slice();
    permutationImportance(model, X, y, { seed: 2, repeats: 2 });
    expect(X.data).toEqual(before);
    // First call scores X itself; then 3 columns x 2 repeats.
    expect(model.seen).toHaveLength(1 + 6);
    model.seen.slice(1).forEach((seen, call) => {
      const shuffledColumn = Math.floor(call / 2);
      for (let c = 0; c < 3; c++) {
        const column = (m: Float32Array) => Array.from({ length: X.rows }, (_, r) => m[r * 3 + c]);
        if (c === shuffledColumn) {
          expect(column(seen)).not.toEqual(column(before));
          expect(column(seen).sort()).toEqual(column(before).sort());
        } else {
          expect(column(seen)).toEqual(column(before));
        }
      }
    });
  });

  it('is deterministic for a seed', () => {
    const a = permutationImportance(spyModel(), X, y, { seed: 5 });
    const b = permutationImportance(spyModel(), X, y, { seed: 5 });
    const c = permutationImportance(spyModel(), X, y, { seed: 6 });
    expect(b).toEqual(a);
    expect(c.features[0].drops).not.toEqual(a.features[0].drops);
    expect(a.features.map((f) => f.name)).toEqual(['column 0', 'column 1', 'column 2']);
  });

  it('checks shapes and the model output', () => {
    expect(() => permutationImportance(spyModel(), { data: new Float32Array(5), rows: 2, cols: 3 }, y, { seed: 1 })).toThrow(
      'X.data has 5 values, 2 rows x 3 columns need 6',
    );
    expect(() => permutationImportance(spyModel(), X, y.subarray(1), { seed: 1 })).toThrow('y has 299 labels, X has 300 rows');
    expect(() => permutationImportance(spyModel(), X, y, { seed: 1, columnNames: ['a'] })).toThrow(
      'columnNames has 1 names, X has 3 columns',
    );
    expect(() => permutationImportance(spyModel(), X, y, { seed: 1, repeats: 0 })).toThrow('repeats must be an integer >= 1, got 0');
    const short: ProbabilityModel = { predictProba: () => new Float32Array(2) };
    expect(() => permutationImportance(short, X, y, { seed: 1 })).toThrow('model returned 2 probabilities for 300 rows');
  });

  describe('a model that scores with one column replaced', () => {
    it.each([
      ['boosted trees', () => new GradientBoostedTrees({ nEstimators: 30, maxDepth: 3, seed: 2 })],
      ['forest', () => new RandomForest({ nEstimators: 15, maxDepth: 6, seed: 2 })],
    ])('%s: gives exactly the numbers of predictProba on shuffled copies', async (_name, create) => {
      const model = create();
      await model.fit(X, y);
      const fast = permutationImportance(model, X, y, { seed: 8, repeats: 3 });
      // The same model seen through predictProba alone: the generic path.
      const generic = permutationImportance({ predictProba: (m: Matrix) => model.predictProba(m) }, X, y, { seed: 8, repeats: 3 });
      expect(fast).toEqual(generic);
      expect(fast.features[0].meanDrop).toBeGreaterThan(0.1);
    });

    it('is asked for the shuffled column instead of a copy, once per column and repeat; X is never touched', () => {
      const linear = spyModel();
      const calls: { column: number; values: Float32Array }[] = [];
      const model: ProbabilityModel = {
        predictProba: (m) => linear.predictProba(m),
        columnReplacementScorer: (matrix) => ({
          predictProbaWithColumn(column, values) {
            calls.push({ column, values: values.slice() });
            return linear.predictProba(withColumn(matrix, column, values));
          },
        }),
      };
      const before = X.data.slice();
      const result = permutationImportance(model, X, y, { seed: 3, repeats: 2 });
      expect(X.data).toEqual(before);
      expect(linear.seen).toHaveLength(1 + 6);
      expect(calls.map((c) => c.column)).toEqual([0, 0, 1, 1, 2, 2]);
      expect(result).toEqual(permutationImportance(spyModel(), X, y, { seed: 3, repeats: 2 }));
      // A model whose scorer is null is scored on copies.
      const without: ProbabilityModel = { predictProba: (m) => linear.predictProba(m), columnReplacementScorer: () => null };
      expect(permutationImportance(without, X, y, { seed: 3, repeats: 2 })).toEqual(result);
    });
  });
});

function withColumn(X: Matrix, column: number, values: Float32Array): Matrix {
  const data = X.data.slice();
  for (let r = 0; r < X.rows; r++) data[r * X.cols + column] = values[r];
  return { ...X, data };
}
