import { recordsTable, textTable } from './text-table';

describe('textTable', () => {
  it('pads every column to its widest cell, the header included', () => {
    expect(textTable(['model', 'auc'], [['lr', '0.91'], ['gbdt *', '0.943']])).toBe(
      ['| model  | auc   |', '|--------|-------|', '| lr     | 0.91  |', '| gbdt * | 0.943 |'].join('\n'),
    );
  });

  it('right-aligns every column but the first for numbers', () => {
    expect(textTable(['step', 's'], [['read', '1.5'], ['fit', '12.25']], { align: 'numbers' })).toBe(
      ['| step |     s |', '|------|-------|', '| read |   1.5 |', '| fit  | 12.25 |'].join('\n'),
    );
  });

  it('takes records, and gives nothing for none', () => {
    expect(recordsTable([{ a: 'x', b: 'yy' }])).toBe(['| a | b  |', '|---|----|', '| x | yy |'].join('\n'));
    expect(recordsTable([])).toBe('');
  });
});
