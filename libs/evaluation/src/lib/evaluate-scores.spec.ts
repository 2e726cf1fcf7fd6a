import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { evaluateScores } from './evaluate-scores';

describe('evaluateScores', () => {
  it.each(fixtureCases.filter(([, c]) => c.logLoss !== undefined))('gives every scikit-learn value at once: %s', (_, c) => {
    const m = evaluateScores(labelsOf(c), scoresOf(c), c.threshold);
    const e = c.atThreshold;
    expect([m.tp, m.fp, m.tn, m.fn]).toEqual([e.tp, e.fp, e.tn, e.fn]);
    expectClose(
      [m.accuracy, m.precision, m.recall, m.f1, m.rocAuc, m.prAuc, m.logLoss, m.brier],
      [e.accuracy, e.precision, e.recall, e.f1, c.rocAuc, c.averagePrecision, c.logLoss!, c.brier!],
    );
  });
});
