import { bundledSpec } from '../test-fixtures/bundled-specs';
import { Imputer } from './imputer';
import { parseSpec } from './parse-spec';

const sessions = bundledSpec('customer-sessions');
const rows = [
  { time_spent: 10, pages_viewed: 1, basket_value: 5, device_type: 'Mobile', customer_type: 'Returning' },
  { time_spent: null, pages_viewed: 2, basket_value: null, device_type: null, customer_type: 'Returning' },
  { time_spent: 30, pages_viewed: 2, basket_value: 7, device_type: 'Tablet', customer_type: null },
  { time_spent: 20, pages_viewed: null, basket_value: 9, device_type: 'Tablet', customer_type: 'New' },
];

/** A spec exercising the rules the bundled specs do not: mean of a non-integer column, most_frequent. */
const other = parseSpec(
  {
    format: 'purchase-dataset-spec',
    formatVersion: 1,
    name: 'other',
    idColumn: null,
    target: { column: 'y', positive: '1', negative: '0' },
    columns: [
      { name: 'x', type: 'number', missing: { rule: 'mean' } },
      { name: 'plan', type: 'category', categories: ['basic', 'pro', 'team'], missing: { rule: 'most_frequent' } },
      { name: 'member', type: 'boolean', missing: { rule: 'most_frequent' } },
      { name: 'age', type: 'integer', missing: { rule: 'reject' } },
      { name: 'visits', type: 'integer', missing: { rule: 'median' } },
    ],
  },
  'other',
);

describe('Imputer', () => {
  it('fits the reference rules: median, mean rounded for an integer column, constants', () => {
    const imputer = Imputer.fit(sessions, rows);
    // time_spent: median of 10, 30, 20 = 20. pages_viewed: mean of 1, 2, 2 = 1.667, rounded to 2.
    expect(imputer.columns).toEqual([
      { column: 'time_spent', rule: 'median', value: 20 },
      { column: 'pages_viewed', rule: 'mean', value: 2 },
      { column: 'basket_value', rule: 'constant', value: 0 },
      { column: 'device_type', rule: 'constant', value: 'Unknown' },
      { column: 'customer_type', rule: 'constant', value: 'New' },
    ]);
    expect(imputer.fittedRows).toBe(4);
  });

  it('takes the mean of the two middle values for an even count, and rounds a half mean up', () => {
    const even = [...rows, { time_spent: 41, pages_viewed: 1, basket_value: 1, device_type: 'Mobile', customer_type: 'New' }];
    const imputer = Imputer.fit(sessions, even);
    expect(imputer.fillFor('time_spent')).toBe(25); // (20 + 30) / 2
    expect(imputer.fillFor('pages_viewed')).toBe(2); // mean of 1, 2, 2, 1 = 1.5 -> 2
  });

  it('fills a copy of the record and leaves the argument unchanged', () => {
    const imputer = Imputer.fit(sessions, rows);
    const record = { time_spent: null, pages_viewed: undefined, basket_value: 12, device_type: null, customer_type: 'Returning' };
    expect(imputer.impute(record)).toEqual({ time_spent: 20, pages_viewed: 2, basket_value: 12, device_type: 'Unknown', customer_type: 'Returning' });
    expect(record.time_spent).toBeNull();
  });

  it('keeps the exact mean of a number column, takes the most frequent category or boolean, ties to the earliest', () => {
    const imputer = Imputer.fit(other, [
      { x: 1, plan: 'team', member: true, age: 30, visits: 1 },
      { x: 2, plan: 'pro', member: false, age: 31, visits: 2 },
      { x: null, plan: 'team', member: null, age: 32, visits: 5 },
      { x: 2, plan: 'pro', member: null, age: 33, visits: 6 },
    ]);
    // visits: the median of 1, 2, 5, 6 is 3.5, and an integer column gets an integer: 4.
    expect(imputer.columns.map((c) => c.value)).toEqual([5 / 3, 'pro', false, null, 4]);
  });

  it('says why it cannot fit a statistic with no observed value', () => {
    expect(() => Imputer.fit(sessions, [{ ...rows[1], pages_viewed: null }])).toThrow(
      'cannot fit the median of "time_spent": it is missing in all 1 training records',
    );
    expect(() => Imputer.fit(sessions, [])).toThrow('cannot fit the imputer on 0 training records');
  });

  it('round-trips through JSON and refuses a document fitted for another spec', () => {
    const imputer = Imputer.fit(sessions, rows);
    const back = Imputer.fromJSON(JSON.parse(JSON.stringify(imputer)), sessions);
    expect(back.columns).toEqual(imputer.columns);
    expect(back.fittedRows).toBe(4);

    const json = imputer.toJSON();
    // Every problem at once, each at its place: here all five columns are another spec's.
    const other5 = () => Imputer.fromJSON(json, other, 'pipeline.json imputer');
    expect(other5).toThrow(/^pipeline\.json imputer: 14 problems in the imputer:\n {2}- columns\[0\] is for "time_spent", the spec's column 1 is "x"\n/);
    expect(other5).toThrow('\n  - columns[4] ("visits") has the fill "New", not a valid integer value');
    expect(() => Imputer.fromJSON({ ...json, columns: json.columns.slice(1) }, sessions)).toThrow(
      'imputer: columns must list the 5 input columns of spec "customer-sessions", got 4',
    );
    const changed = { ...json, columns: json.columns.map((c, i) => (i === 1 ? { ...c, value: 2.5 } : c)) };
    expect(() => Imputer.fromJSON(changed, sessions)).toThrow('imputer: columns[1] ("pages_viewed") has the fill 2.5, not a valid integer value');
    expect(() => Imputer.fromJSON({ ...json, formatVersion: 9 }, sessions)).toThrow(
      'imputer: formatVersion 9 is not supported (this code reads version 1)',
    );
  });
});
