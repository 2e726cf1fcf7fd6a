import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { loadSpec } from './load-spec';
import { parseSpec } from './parse-spec';

const SPECS = path.join(__dirname, '../../../../data/specs');

/** A small valid spec document; tests change one thing at a time. */
function doc(): Record<string, unknown> {
  return {
    format: 'purchase-dataset-spec',
    formatVersion: 1,
    name: 'tiny',
    idColumn: 'id',
    target: { column: 'y', positive: 'yes', negative: 'no' },
    columns: [
      { name: 'n', type: 'number', min: 0, max: 10, missing: { rule: 'median' } },
      { name: 'k', type: 'integer', missing: { rule: 'mean' } },
      { name: 'c', type: 'category', categories: ['a', 'b'], missing: { rule: 'constant', value: 'Unknown' } },
      { name: 'f', type: 'boolean', missing: { rule: 'most_frequent' } },
    ],
  };
}

describe('parseSpec', () => {
  it('fills the defaults of optional fields', () => {
    const spec = parseSpec(doc(), 'tiny.json');
    expect(spec.idType).toBe('string');
    expect(spec.missingValues).toEqual(['']);
    expect(spec.duplicateRows).toBe('keep');
    expect(spec.engineered).toEqual([]);
    expect(spec.costs).toBeUndefined();
    expect(spec.columns.map((c) => [c.name, c.type, c.missing.rule])).toEqual([
      ['n', 'number', 'median'],
      ['k', 'integer', 'mean'],
      ['c', 'category', 'constant'],
      ['f', 'boolean', 'most_frequent'],
    ]);
  });

  it('gives back an equal spec when its own output is parsed again (what a saved pipeline relies on)', () => {
    const spec = parseSpec(doc(), 'tiny.json');
    expect(parseSpec(JSON.parse(JSON.stringify(spec)), 'again')).toEqual(spec);
  });

  it('refuses what is not a spec of this format and version', () => {
    expect(() => parseSpec([], 's.json')).toThrow('s.json: a dataset spec must be a JSON object, got an array');
    expect(() => parseSpec({ ...doc(), format: 'other' }, 's.json')).toThrow('s.json: format must be "purchase-dataset-spec", got "other"');
    expect(() => parseSpec({ ...doc(), formatVersion: 2 }, 's.json')).toThrow(
      's.json: formatVersion 2 is not supported (this code reads version 1)',
    );
  });

  it('names the file and the field of a single problem', () => {
    const d = doc();
    (d.columns as Record<string, unknown>[])[1].type = 'float';
    expect(() => parseSpec(d, 'specs/x.json')).toThrow(
      new Error('specs/x.json: columns[1].type must be one of "number", "integer", "category", "boolean", got "float"'),
    );
  });

  it('lists every problem at once', () => {
    const d = doc();
    delete d.idColumn;
    d.target = { column: 'y', positive: '1', negative: '1' };
    const cols = d.columns as Record<string, unknown>[];
    cols[0].missing = { rule: 'most_frequent' };
    cols[1].catgories = ['x'];
    cols[2].categories = ['a', 'a', 'Unknown'];
    cols[3].missing = { rule: 'constant', value: 'yes' };
    expect(() => parseSpec(d, 'x.json')).toThrow(
      new Error(
        [
          'x.json: 7 problems in the dataset spec:',
          '  - idColumn is missing (use null when the file has no id column)',
          '  - target has the same positive and negative value "1"',
          '  - columns[0].missing rule "most_frequent" needs a category or boolean column, "n" is number',
          '  - columns[1] has an unknown field "catgories" (allowed: name, type, description, missing, min, max, unit)',
          '  - columns[2].categories[1] repeats "a"',
          '  - columns[2].categories[2] must not be "Unknown": it is always accepted and encoded',
          '  - columns[3].missing.value must be true or false, got "yes"',
        ].join('\n'),
      ),
    );
  });

  it('checks constant fills against the column type and range', () => {
    const d = doc();
    const cols = d.columns as Record<string, unknown>[];
    cols[0].missing = { rule: 'constant', value: 11 };
    cols[1].missing = { rule: 'constant', value: 2.5 };
    cols[2].missing = { rule: 'constant', value: 'z' };
    expect(() => parseSpec(d, 'x.json')).toThrow(
      [
        '  - columns[0].missing.value 11 is above the column\'s maximum 10',
        '  - columns[1].missing.value must be an integer, got 2.5',
        '  - columns[2].missing.value must be one of the column\'s categories or "Unknown", got "z"',
      ].join('\n'),
    );
  });

  it('refuses a name used twice and engineered features over missing or non-numeric columns', () => {
    const d = doc();
    (d.columns as Record<string, unknown>[])[1].name = 'y';
    d.engineered = [
      { name: 'e', kind: 'mean_of_scaled', inputs: ['n', 'c'] },
      { name: 'n', kind: 'ratio_plus_one', numerator: 'n', denominator: 'pages' },
      { name: 's', kind: 'segments' },
      { name: 'r', kind: 'ratio_plus_one', numerator: 'n', denominator: 'y' },
    ];
    expect(() => parseSpec(d, 'x.json')).toThrow(
      [
        'x.json: 6 problems in the dataset spec:',
        '  - columns[1].name "y" is also the target column',
        '  - engineered[0].inputs[1] "c" is not a number or integer column of this spec',
        '  - engineered[1].denominator "pages" is not a number or integer column of this spec',
        '  - engineered[1].name "n" is also the name of columns[0]',
        '  - engineered[2].kind must be one of "mean_of_scaled", "ratio_plus_one", "behavioral_segment", got "segments"',
        // columns[1] is named "y" and has no min: y + 1 could be 0.
        '  - engineered[3].denominator "y" needs "min" >= 0 in its column spec, so that y + 1 is never 0',
      ].join('\n'),
    );
  });

  it('validates costs', () => {
    expect(() => parseSpec({ ...doc(), costs: { foundPurchaseValue: -1, nonBuyerTargetingCost: 2 } }, 'x.json')).toThrow(
      'x.json: costs.foundPurchaseValue must be a number >= 0, got -1',
    );
    expect(parseSpec({ ...doc(), costs: { foundPurchaseValue: 10, nonBuyerTargetingCost: 2, currency: 'EUR' } }, 'x').costs).toEqual({
      foundPurchaseValue: 10,
      nonBuyerTargetingCost: 2,
      currency: 'EUR',
    });
  });

  it('reads the CSV dialect, filling the one field left out, and lists what is wrong with one', () => {
    expect(parseSpec(doc(), 'x').csv).toBeUndefined();
    expect(parseSpec({ ...doc(), csv: { delimiter: ';' } }, 'x').csv).toEqual({ delimiter: ';', quote: '"' });
    expect(parseSpec({ ...doc(), csv: { delimiter: '\t', quote: "'" } }, 'x').csv).toEqual({ delimiter: '\t', quote: "'" });
    expect(() => parseSpec({ ...doc(), csv: { delimiter: ';;', quote: '\n', escape: '\\' } }, 'x.json')).toThrow(
      [
        'x.json: 3 problems in the dataset spec:',
        '  - csv has an unknown field "escape" (allowed: delimiter, quote)',
        '  - csv.delimiter must be one character, got ";;"',
        '  - csv.quote must not be a line break',
      ].join('\n'),
    );
    expect(() => parseSpec({ ...doc(), csv: { delimiter: '"' } }, 'x.json')).toThrow('x.json: csv has the same delimiter and quote "\\""');
    expect(() => parseSpec({ ...doc(), csv: ';' }, 'x.json')).toThrow('x.json: csv must be an object such as {"delimiter": ";", "quote": "\\""}, got ";"');
  });
});

describe('loadSpec', () => {
  it('loads the bundled customer-sessions spec with the reference missing-value rules and engineered features', async () => {
    const spec = await loadSpec(path.join(SPECS, 'customer-sessions.json'));
    expect(spec.idColumn).toBe('customer_id');
    expect(spec.target).toEqual({ column: 'purchase', positive: '1', negative: '0' });
    expect(spec.columns.map((c) => [c.name, c.type, c.missing])).toEqual([
      ['time_spent', 'number', { rule: 'median' }],
      ['pages_viewed', 'integer', { rule: 'mean' }],
      ['basket_value', 'number', { rule: 'constant', value: 0 }],
      ['device_type', 'category', { rule: 'constant', value: 'Unknown' }],
      ['customer_type', 'category', { rule: 'constant', value: 'New' }],
    ]);
    expect(spec.engineered.map((f) => [f.name, f.kind])).toEqual([
      ['engagement_score', 'mean_of_scaled'],
      ['basket_intensity', 'ratio_plus_one'],
      ['behavioral_segment', 'behavioral_segment'],
    ]);
  });

  it('loads the bundled online-shoppers spec: no id column, integer codes as categories', async () => {
    const spec = await loadSpec(path.join(SPECS, 'online-shoppers.json'));
    expect(spec.idColumn).toBeNull();
    expect(spec.target).toEqual({ column: 'Revenue', positive: 'TRUE', negative: 'FALSE' });
    const categories = Object.fromEntries(spec.columns.flatMap((c) => (c.type === 'category' ? [[c.name, c.categories.length]] : [])));
    expect(categories).toEqual({ Month: 10, OperatingSystems: 8, Browser: 13, Region: 9, TrafficType: 20, VisitorType: 3, Weekend: 2 });
    expect(spec.columns).toHaveLength(17);
  });

  it('names the file when it is absent or not JSON', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'spec-'));
    await writeFile(path.join(dir, 'bad.json'), '{"format": ');
    await expect(loadSpec(path.join(dir, 'none.json'))).rejects.toThrow(`${path.join(dir, 'none.json')}: no such dataset spec file`);
    await expect(loadSpec(path.join(dir, 'bad.json'))).rejects.toThrow(new RegExp(`^${path.join(dir, 'bad.json')}: not valid JSON \\(`));
  });
});
