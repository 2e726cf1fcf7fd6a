import { bundledSpec } from '../test-fixtures/bundled-specs';
import { Imputer } from './imputer';
import { readCsvRecords } from './read-csv-records';
import { formatReadReport } from './read-report';
import { validateRows } from './validate-rows';

const spec = bundledSpec('customer-sessions');
const CSV = [
  'customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type,purchase,campaign',
  '1,10,3.0,20.50,Mobile,Returning,1,a',
  '2,,4.0,,Tablet,,0,a',
  '3,30,,5.00,,New,1,b',
  '4,20,4.0,7.25,Desktop,New,1,b',
  '5,x,4.0,7.25,Desktop,New,2,b',
  '',
  '6,1,1.0,1,Desktop',
].join('\n');

describe('formatReadReport', () => {
  // The rows as readDataset hands them to validateRows (readCsvRecords on the text, without a file, so the report names "report.csv").
  const read = async () => {
    const rows: string[][] = [];
    const lines: number[] = [];
    for await (const batch of readCsvRecords([CSV])) {
      if (batch.syntaxError) throw new Error(`line ${batch.syntaxError.line}: ${batch.syntaxError.message}`);
      rows.push(...batch.records);
      lines.push(...batch.lines);
    }
    return validateRows('report.csv', spec, rows, { lines });
  };

  it('prints kept and rejected rows, missing and imputed cells per column with the fitted fills, and each rejected row', async () => {
    const result = await read();
    const imputer = Imputer.fit(spec, result.records);
    expect(formatReadReport(result, imputer)).toBe(
      [
        'report.csv (spec "customer-sessions"): 6 data rows',
        '  kept      4  (positive 3 = 75.0%, negative 1)',
        '  rejected  2  (33.3% of the rows)',
        '  blank lines skipped: 1 (line 7)',
        '  columns not in the spec, ignored: campaign',
        '',
        'missing values in kept rows (fills fitted on 4 training rows)',
        '  column         missing  imputed  rule           fill',
        '  time_spent           1        1  median         20',
        '  pages_viewed         1        1  mean, rounded  4',
        '  basket_value         1        1  constant       0',
        '  device_type          1        1  constant       "Unknown"',
        '  customer_type        1        1  constant       "New"',
        '',
        'rejected rows by rule: type 1, target 1, field_count 1',
        'rejected rows',
        '  line 6 (id 5): time_spent: expected a number, got "x"; purchase: target must be "1" (positive) or "0" (negative), got "2"',
        '  line 8 (id 6): has 5 fields, the header has 8',
      ].join('\n'),
    );
  });

  it('without an imputer leaves the fill out, and caps the list of rejected rows', async () => {
    const lines = formatReadReport(await read(), undefined, { maxRejected: 1 }).split('\n');
    expect(lines).toContain('missing values in kept rows');
    expect(lines).toContain('  column         missing  imputed  rule');
    expect(lines.slice(-2)).toEqual(['rejected rows (first 1 of 2)', lines[lines.length - 1]]);
    expect(lines[lines.length - 1]).toMatch(/^ {2}line 6 \(id 5\): /);
  });
});
