// Test support: a realistic EvaluationReport built with the library's own functions on synthetic
// scores, the way apps/train fills one in.
import { alwaysPurchaseBaseline } from '../lib/always-purchase-baseline';
import { bootstrapIntervals } from '../lib/bootstrap-intervals';
import { evaluateScores } from '../lib/evaluate-scores';
import { pointBiserialCorrelations } from '../lib/point-biserial';
import { precisionRecallCurve } from '../lib/precision-recall';
import { reliabilityTable } from '../lib/reliability-table';
import type { EvaluationReport, ModelReport } from '../lib/report-data';
import { rocCurve } from '../lib/roc';
import { SeededRandom } from '@purchase/core';
import { chooseF1Threshold, chooseProfitThreshold } from '../lib/threshold-choice';
import { metricsAtThreshold } from '../lib/threshold-metrics';

export const COSTS = { foundPurchaseValue: 12, nonBuyerTargetingCost: 1.5 };

function split(n: number, seed: number): Uint8Array {
  const rng = new SeededRandom(seed);
  return Uint8Array.from({ length: n }, () => (rng.nextInt(100) < 18 ? 1 : 0));
}

/** Probabilities whose ranking quality grows with `skill`, rounded to 2 decimals so ties occur. */
function scoresFor(y: Uint8Array, skill: number, seed: number): Float64Array {
  const rng = new SeededRandom(seed);
  return Float64Array.from(y, (label) => {
    const noise = (rng.nextInt(10_000) / 10_000 - 0.5) * 4;
    return Math.round(100 / (1 + Math.exp(-(skill * (label - 0.3) + noise - 1)))) / 100;
  });
}

export const MODEL_NAMES = ['lr', 'mlp', 'gbdt'];

const cache = new Map<string, EvaluationReport>();

/** A fresh copy each call (tests may edit it); built once per set of names. */
export function sampleReport(names: string[] = MODEL_NAMES): EvaluationReport {
  const key = names.join('\u0000');
  if (!cache.has(key)) cache.set(key, buildSampleReport(names));
  return structuredClone(cache.get(key) as EvaluationReport);
}

function buildSampleReport(names: string[]): EvaluationReport {
  const yVal = split(300, 1);
  const yTest = split(400, 2);
  const models: ModelReport[] = names.map((name, k) => {
    const skill = 1.5 + k;
    const val = scoresFor(yVal, skill, 10 + k);
    const test = scoresFor(yTest, skill, 20 + k);
    const f1Choice = chooseF1Threshold(yVal, val);
    const profitChoice = chooseProfitThreshold(yVal, val, COSTS);
    const t = f1Choice.threshold;
    return {
      name,
      description: `model number ${k + 1}`,
      metrics: { validation: evaluateScores(yVal, val, t), test: evaluateScores(yTest, test, t) },
      intervals: { split: 'test', ...bootstrapIntervals(yTest, test, { threshold: t, seed: 42, resamples: 200 }) },
      thresholds: [
        { rule: 'f1', threshold: t, chosenOn: 'validation', evaluatedOn: 'test', metrics: metricsAtThreshold(yTest, test, t) },
        {
          rule: 'profit',
          threshold: profitChoice.threshold,
          chosenOn: 'validation',
          evaluatedOn: 'test',
          metrics: metricsAtThreshold(yTest, test, profitChoice.threshold),
        },
      ],
      curves: {
        split: 'test',
        roc: rocCurve(yTest, test, { dropIntermediate: true }),
        pr: precisionRecallCurve(yTest, test),
      },
      calibration: { split: 'test', strategy: 'uniform', bins: reliabilityTable(yTest, test, { bins: 10 }) },
      permutationImportance: {
        split: 'validation',
        baselineRocAuc: 0.8,
        repeats: 5,
        seed: 42,
        features: [
          { column: 1, name: 'pages_viewed', meanDrop: 0.12 / (k + 1), sdDrop: 0.01, drops: [] },
          { column: 0, name: 'time_spent', meanDrop: 0.05, sdDrop: 0.004, drops: [] },
        ],
      },
    };
  });
  const rng = new SeededRandom(3);
  const correlations = pointBiserialCorrelations(
    [
      { name: 'pages_viewed', values: Float64Array.from(yVal, (v) => v * 3 + rng.nextInt(10)) },
      { name: 'basket_value', values: Float64Array.from(yVal, (v, i) => (i % 10 === 0 ? NaN : v + rng.nextInt(5))) },
    ],
    yVal,
  );
  const prior = yVal.reduce((s, v) => s + v, 0) / yVal.length;
  return {
    title: 'Purchase prediction: model report',
    createdAt: '2024-06-01T12:00:00.000Z',
    version: '20240601T120000Z-abc123',
    dataset: {
      name: 'customer_sessions.csv',
      sha256: 'ab'.repeat(32),
      splits: [
        { name: 'validation', rows: yVal.length, positives: yVal.reduce((s, v) => s + v, 0) },
        { name: 'test', rows: yTest.length, positives: yTest.reduce((s, v) => s + v, 0) },
      ],
      features: ['time_spent', 'pages_viewed', 'basket_value'],
    },
    splits: ['validation', 'test'],
    selection: { metric: 'f1', chosenOn: 'validation', selected: names[names.length - 1] },
    models,
    baseline: { validation: alwaysPurchaseBaseline(yVal), test: alwaysPurchaseBaseline(yTest, prior) },
    costs: COSTS,
    correlations,
    modelCard: {
      intendedUse: 'Rank live sessions by purchase probability to decide who sees an offer.',
      data: 'Synthetic sessions generated by tools/generate-data.',
      limitations: ['Trained on synthetic data.', 'Not re-validated on new traffic.'],
      outOfScope: ['Credit or pricing decisions about individuals.'],
    },
  };
}
