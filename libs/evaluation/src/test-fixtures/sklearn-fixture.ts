// Test support: the committed scikit-learn reference values (tools/fixtures/make-sklearn-metrics.py)
// and a tolerance check. Not exported from the library.
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface FixtureCalibration {
  bins: number;
  strategy: 'uniform' | 'quantile';
  lower: number[];
  upper: number[];
  count: number[];
  meanPredicted: number[];
  observedRate: number[];
}

export interface FixtureCase {
  name: string;
  y: number[];
  scores: number[];
  threshold: number;
  atThreshold: { accuracy: number; precision: number; recall: number; f1: number; tp: number; fp: number; tn: number; fn: number };
  rocAuc: number;
  averagePrecision: number;
  roc: { fpr: number[]; tpr: number[]; thresholds: number[] };
  rocDropIntermediate: { fpr: number[]; tpr: number[]; thresholds: number[] };
  pr: { precision: number[]; recall: number[]; thresholds: number[] };
  best: {
    f1: { threshold: number; f1: number; tp: number; fp: number };
    profit: { threshold: number | null; profit: number; tp: number; fp: number };
  };
  logLoss?: number;
  brier?: number;
  calibration?: FixtureCalibration[];
}

export interface SklearnFixture {
  versions: Record<string, string>;
  conventions: { costs: { foundPurchaseValue: number; nonBuyerTargetingCost: number } };
  cases: FixtureCase[];
  correlation: {
    y: number[];
    columns: Record<string, (number | null)[]>;
    expected: { name: string; correlation: number | null; pValue: number | null; n: number }[];
  };
  percentile: { sample: number[]; expected: { q: number; value: number }[] };
}

export const fixture: SklearnFixture = JSON.parse(readFileSync(path.join(__dirname, 'sklearn-metrics.json'), 'utf8'));

export const fixtureCases = fixture.cases.map((c) => [c.name, c] as const);

export function labelsOf(c: FixtureCase): Uint8Array {
  return Uint8Array.from(c.y);
}

/** The case's scores as the models would hand them over: Float32Array when every value is a float32. */
export function scoresOf(c: FixtureCase): Float32Array | Float64Array {
  const as32 = Float32Array.from(c.scores);
  return c.scores.every((v, i) => as32[i] === v) ? as32 : Float64Array.from(c.scores);
}

/** |actual - expected| <= tol * max(1, |expected|), element by element, with the index in the message. */
export function expectClose(actual: ArrayLike<number> | number, expected: ArrayLike<number> | number, tol = 1e-9): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : Array.from(expected);
  expect(a.length).toBe(e.length);
  for (let i = 0; i < e.length; i++) {
    const err = Math.abs(a[i] - e[i]);
    if (!(err <= tol * Math.max(1, Math.abs(e[i])))) {
      throw new Error(`element ${i}: got ${a[i]}, expected ${e[i]} (difference ${err})`);
    }
  }
}
