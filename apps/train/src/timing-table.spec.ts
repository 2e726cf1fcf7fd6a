import { formatTimingTable } from './timing-table';

describe('formatTimingTable', () => {
  it('lists each step with its seconds and share, the rest as other, the total and the peak memory', () => {
    const table = formatTimingTable(
      [
        { step: 'read', seconds: 1.5 },
        { step: 'fit', candidate: 'gbdt', seconds: 6 },
        { step: 'publish', seconds: 0.25 },
      ],
      10,
      300 * 1048576,
    );
    expect(table.split('\n')).toEqual([
      '| step                             | wall s | share |',
      '|----------------------------------|--------|-------|',
      '| read                             |   1.50 |   15% |',
      '| fit gbdt                         |   6.00 |   60% |',
      '| publish                          |   0.25 |    3% |',
      '| other (spec, progress, printing) |   2.25 |   23% |',
      '| total                            |  10.00 |  100% |',
      'peak memory (max RSS): 300 MB',
    ]);
  });
});
