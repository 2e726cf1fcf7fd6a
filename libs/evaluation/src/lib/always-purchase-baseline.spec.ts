import { alwaysPurchaseBaseline, compareWithBaseline } from './always-purchase-baseline';
import { averagePrecision, } from './precision-recall';
import { evaluateScores } from './evaluate-scores';
import { logLoss } from '@purchase/core';
import { brierScore } from './brier-score';

describe('alwaysPurchaseBaseline', () => {
  // 3 purchases in 20 sessions: p = 0.15.
  const y = Uint8Array.from({ length: 20 }, (_, i) => (i % 7 === 0 ? 1 : 0));
  const p = 3 / 20;

  it('predicts purchase for everyone: recall 1, precision p, F1 = 2p / (1 + p)', () => {
    const b = alwaysPurchaseBaseline(y);
    expect(b).toMatchObject({ threshold: 0, tp: 3, fp: 17, tn: 0, fn: 0, recall: 1, precision: p, accuracy: p, rocAuc: 0.5 });
    expect(b.f1).toBeCloseTo((2 * p) / (1 + p), 15);
  });

  it('scores like a constant prediction of the prior (the same numbers the metric functions give)', () => {
    const constant = new Float64Array(y.length).fill(p);
    const b = alwaysPurchaseBaseline(y);
    expect(b.logLoss).toBeCloseTo(logLoss(y, constant), 14);
    expect(b.brier).toBeCloseTo(brierScore(y, constant), 15);
    expect(b.prAuc).toBeCloseTo(averagePrecision(y, constant), 15);
    expect(b.logLoss).toBeCloseTo(-(p * Math.log(p) + (1 - p) * Math.log(1 - p)), 14);
  });

  it('uses a given prior (e.g. the training rate) for log loss and Brier', () => {
    const b = alwaysPurchaseBaseline(y, 0.5);
    expect(b.logLoss).toBeCloseTo(Math.LN2, 15);
    expect(b.brier).toBeCloseTo(0.25, 15);
    expect(() => alwaysPurchaseBaseline(y, 1.5)).toThrow('prior must be a number in [0, 1], got 1.5');
    expect(() => alwaysPurchaseBaseline(new Uint8Array(0))).toThrow('y is empty');
    expect(() => alwaysPurchaseBaseline(Uint8Array.of(1, 3))).toThrow('y[1] is 3, labels must be 0 or 1');
  });
});

describe('compareWithBaseline', () => {
  const y = Uint8Array.from([1, 1, 0, 0, 0, 0, 0, 0, 1, 0]);
  const baseline = alwaysPurchaseBaseline(y);

  it('says plainly when a model beats the baseline', () => {
    const good = evaluateScores(y, Float64Array.from([0.9, 0.8, 0.1, 0.2, 0.1, 0.3, 0.2, 0.1, 0.7, 0.2]), 0.5);
    const c = compareWithBaseline(good, baseline);
    expect([c.beatsOnF1, c.beatsOnRocAuc, c.beatsOnLogLoss]).toEqual([true, true, true]);
    expect(c.f1Difference).toBeCloseTo(1 - baseline.f1, 15);
    expect(c.verdict).toBe(
      'beats the always-purchase baseline on F1 (1.000 vs 0.462); ranks better than chance (ROC AUC 1.000 vs 0.500); ' +
        `beats the prior on log loss (${good.logLoss.toFixed(3)} vs 0.611)`,
    );
  });

  it('says plainly when it does not', () => {
    const bad = evaluateScores(y, Float64Array.from([0.2, 0.1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.5, 0.3, 0.9]), 0.5);
    const c = compareWithBaseline(bad, baseline);
    expect([c.beatsOnF1, c.beatsOnRocAuc, c.beatsOnLogLoss]).toEqual([false, false, false]);
    expect(c.verdict).toMatch(/^does NOT beat the always-purchase baseline on F1 \(0\.000 vs 0\.462\); does NOT rank better than chance/);
    expect(c.verdict).toMatch(/does NOT beat the prior on log loss/);
  });
});
