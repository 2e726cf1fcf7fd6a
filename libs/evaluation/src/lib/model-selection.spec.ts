import { type Candidate, selectBestModel } from './model-selection';

const candidates: Candidate[] = [
  { name: 'lr', metrics: { f1: 0.61, rocAuc: 0.8, prAuc: 0.55, logLoss: 0.42, profit: 120 } },
  { name: 'mlp', metrics: { f1: 0.64, rocAuc: 0.83, prAuc: 0.6, logLoss: 0.45, profit: 150 } },
  { name: 'gbdt', metrics: { f1: 0.64, rocAuc: 0.86, prAuc: 0.58, logLoss: 0.39, profit: 140 } },
];

describe('selectBestModel', () => {
  it('picks by F1 by default; an exact tie goes to the candidate listed first', () => {
    const s = selectBestModel(candidates);
    expect([s.metric, s.best, s.index, s.value]).toEqual(['f1', 'mlp', 1, 0.64]);
    expect(s.ranking.map((r) => r.name)).toEqual(['mlp', 'gbdt', 'lr']);
  });

  it.each([
    ['roc_auc', 'gbdt'],
    ['pr_auc', 'mlp'],
    ['log_loss', 'gbdt'], // lower is better
    ['profit', 'mlp'],
  ] as const)('by %s picks %s', (metric, best) => {
    expect(selectBestModel(candidates, metric).best).toBe(best);
  });

  it('ranks log loss ascending', () => {
    expect(selectBestModel(candidates, 'log_loss').ranking).toEqual([
      { name: 'gbdt', value: 0.39 },
      { name: 'lr', value: 0.42 },
      { name: 'mlp', value: 0.45 },
    ]);
  });

  it('says exactly what is wrong', () => {
    expect(() => selectBestModel(candidates, 'accuracy' as 'f1')).toThrow(
      "unknown selection metric 'accuracy'; use one of f1, roc_auc, pr_auc, log_loss, profit",
    );
    expect(() => selectBestModel([])).toThrow('no candidates to select from');
    expect(() => selectBestModel([candidates[0], candidates[0]])).toThrow('two candidates are named "lr"');
    const noProfit = candidates.map((c) => ({ name: c.name, metrics: { ...c.metrics, profit: undefined } }));
    expect(() => selectBestModel(noProfit, 'profit')).toThrow('candidate "lr" has no finite profit (got undefined)');
    expect(() => selectBestModel([{ name: 'x', metrics: { ...candidates[0].metrics, f1: NaN } }])).toThrow(
      'candidate "x" has no finite f1 (got NaN)',
    );
  });
});
