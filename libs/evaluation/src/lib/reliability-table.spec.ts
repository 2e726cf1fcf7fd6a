import { expectClose, fixtureCases, labelsOf, scoresOf } from '../test-fixtures/sklearn-fixture';
import { reliabilityTable } from './reliability-table';

describe('reliabilityTable against scikit-learn calibration_curve', () => {
  const cases = fixtureCases.flatMap(([name, c]) =>
    (c.calibration ?? []).map((cal) => [`${name}, ${cal.bins} ${cal.strategy} bins`, c, cal] as const),
  );

  it.each(cases)('%s', (_, c, cal) => {
    const table = reliabilityTable(labelsOf(c), scoresOf(c), { bins: cal.bins, strategy: cal.strategy });
    expect(table.map((b) => b.count)).toEqual(cal.count);
    expectClose(table.map((b) => b.lower), cal.lower, 0);
    expectClose(table.map((b) => b.upper), cal.upper, 0);
    for (const field of ['meanPredicted', 'observedRate'] as const) {
      expectClose(table.map((b) => b[field]), cal[field]);
    }
  });
});

describe('reliabilityTable', () => {
  const y = Uint8Array.from([0, 0, 1, 1, 1]);
  const scores = Float64Array.from([0, 0.5, 0.5, 0.75, 1]);

  it('puts a score on an edge in the lower bin and drops empty bins', () => {
    expect(reliabilityTable(y, scores, { bins: 4 })).toEqual([
      { lower: 0, upper: 0.25, count: 1, meanPredicted: 0, observedRate: 0 },
      { lower: 0.25, upper: 0.5, count: 2, meanPredicted: 0.5, observedRate: 0.5 },
      { lower: 0.5, upper: 0.75, count: 1, meanPredicted: 0.75, observedRate: 1 },
      { lower: 0.75, upper: 1, count: 1, meanPredicted: 1, observedRate: 1 },
    ]);
  });

  it('rejects bad options and non-probabilities', () => {
    expect(() => reliabilityTable(y, scores, { bins: 0 })).toThrow('bins must be an integer >= 1, got 0');
    expect(() => reliabilityTable(y, scores, { strategy: 'equal' as 'uniform' })).toThrow(
      'strategy must be one of "uniform", "quantile", got "equal"',
    );
    expect(() => reliabilityTable(y, Float64Array.from([0, 0, 0, 0, 1.2]))).toThrow(
      'scores[4] is 1.2, a reliability table needs probabilities in [0, 1]',
    );
  });
});
