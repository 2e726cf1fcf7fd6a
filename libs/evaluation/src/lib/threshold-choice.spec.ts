import { fixture, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { chooseF1Threshold, chooseProfitThreshold, profitAt } from './threshold-choice';
import { metricsAtThreshold } from './threshold-metrics';

const costs = fixture.conventions.costs;

describe('threshold choice against an exhaustive search over scikit-learn curves', () => {
  it.each(fixtureCases)('%s', (_, c) => {
    const y = labelsOf(c);
    const scores = scoresOf(c);
    const f1 = chooseF1Threshold(y, scores);
    expect(f1.threshold).toBe(c.best.f1.threshold);
    expect([f1.metrics.tp, f1.metrics.fp]).toEqual([c.best.f1.tp, c.best.f1.fp]);
    expect(f1.metrics.f1).toBeCloseTo(c.best.f1.f1, 12);
    const profit = chooseProfitThreshold(y, scores, costs);
    expect(profit.threshold).toBe(c.best.profit.threshold ?? Infinity);
    expect(profit.profit).toBe(c.best.profit.profit);
    // The metrics reported at the choice are those of applying it.
    expect(f1.metrics).toEqual(metricsAtThreshold(y, scores, f1.threshold));
    expect(profit.metrics).toEqual(metricsAtThreshold(y, scores, profit.threshold));
  });
});

describe('chooseF1Threshold', () => {
  it('finds the best cut on a constructed case', () => {
    // Descending: 1 1 0 1 0 0. Cuts: tp/fp = 1/0 F1 .5, 2/0 F1 .8, 2/1 F1 .667, 3/1 F1 .857, 3/2 .75, 3/3 .667
    const y = Uint8Array.from([1, 1, 0, 1, 0, 0]);
    const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4]);
    const choice = chooseF1Threshold(y, scores);
    expect(choice.rule).toBe('f1');
    expect(choice.threshold).toBe(0.6);
    expect(choice.metrics.f1).toBeCloseTo(6 / 7, 15);
  });

  it('breaks an exact tie in F1 towards the higher threshold (fewer flagged)', () => {
    // Cut at 0.8: tp 1, fp 0, fn 2 -> F1 2/4 = 0.5. Cut at 0.3: tp 3, fp 6 -> F1 6/12 = 0.5. Others lower.
    const y = Uint8Array.from([1, 0, 0, 0, 0, 0, 0, 1, 1]);
    const scores = Float64Array.from([0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3, 0.3, 0.3]);
    const f1s = [0.8, 0.7, 0.6, 0.5, 0.4, 0.35, 0.3].map((t) => metricsAtThreshold(y, scores, t).f1);
    expect(f1s[0]).toBe(0.5);
    expect(f1s[6]).toBe(0.5);
    expect(Math.max(...f1s)).toBe(0.5);
    expect(chooseF1Threshold(y, scores).threshold).toBe(0.8);
  });

  it('chooses Infinity (nobody) when there are no positives, where every F1 is 0', () => {
    const choice = chooseF1Threshold(Uint8Array.from([0, 0]), Float64Array.from([0.3, 0.6]));
    expect(choice.threshold).toBe(Infinity);
    expect(choice.metrics).toMatchObject({ tp: 0, fp: 0, tn: 2, fn: 0, f1: 0 });
  });
});

describe('chooseProfitThreshold', () => {
  const y = Uint8Array.from([1, 0, 1, 0, 0, 1, 0, 0]);
  const scores = Float64Array.from([0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2]);

  it('maximises tp x value - fp x cost', () => {
    // value 10, cost 4: cut 0.9 -> 10; 0.7 -> 20 - 4 = 16; 0.4 -> 30 - 12 = 18; 0.2 -> 30 - 20 = 10.
    const choice = chooseProfitThreshold(y, scores, { foundPurchaseValue: 10, nonBuyerTargetingCost: 4 });
    expect(choice.threshold).toBe(0.4);
    expect(choice.profit).toBe(18);
    expect(profitAt(choice.metrics, { foundPurchaseValue: 10, nonBuyerTargetingCost: 4 })).toBe(18);
  });

  it('targets nobody (threshold Infinity, profit 0) when every cut loses money', () => {
    // value 1, cost 2 on 0 1 0 1: cuts give -2, -1, -3, -2.
    const choice = chooseProfitThreshold(Uint8Array.from([0, 1, 0, 1]), Float64Array.from([0.9, 0.8, 0.7, 0.6]), {
      foundPurchaseValue: 1,
      nonBuyerTargetingCost: 2,
    });
    expect(choice.threshold).toBe(Infinity);
    expect(choice.profit).toBe(0);
    expect(choice.metrics).toMatchObject({ tp: 0, fp: 0, tn: 2, fn: 2 });
  });

  it('breaks a tie in profit towards the higher threshold', () => {
    // value 2, cost 2: cut 0.9 -> 2; cut 0.7 -> 4 - 2 = 2; cut 0.4 -> 6 - 6 = 0. Tie 0.9 vs 0.7.
    expect(chooseProfitThreshold(y, scores, { foundPurchaseValue: 2, nonBuyerTargetingCost: 2 }).threshold).toBe(0.9);
  });

  it('rejects a cost table with a missing, negative or infinite entry', () => {
    expect(() => chooseProfitThreshold(y, scores, { foundPurchaseValue: -1, nonBuyerTargetingCost: 1 })).toThrow(
      'costs.foundPurchaseValue must be a number >= 0, got -1',
    );
    expect(() =>
      chooseProfitThreshold(y, scores, { foundPurchaseValue: 1 } as { foundPurchaseValue: number; nonBuyerTargetingCost: number }),
    ).toThrow('costs.nonBuyerTargetingCost must be a number >= 0, got nothing');
  });
});
