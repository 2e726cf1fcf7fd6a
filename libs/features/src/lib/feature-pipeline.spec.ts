import { readFileSync } from 'node:fs';
import path from 'node:path';
import { columnsFromRecords, parseSpec, readDataset, stratifiedSplit, type DatasetSpec, type RawRecord } from '@purchase/preprocessing';
import { bundledSpec, readRecords, ROOT } from '../test-fixtures/bundled-data';
import { FeaturePipeline } from './feature-pipeline';

/**
 * Four training sessions whose fitted state is worked out by hand:
 *   imputed            time  pages  basket  device   customer
 *   r0                  10     2      30    Mobile   Returning
 *   r1                  30     6       0    Desktop  New
 *   r2 (time median)    20     4       0    Tablet   New        (basket 0, customer "New" by rule)
 *   r3 (pages mean)     20     4      60    Unknown  Returning
 * fills: time median(10, 30, 20) = 20; pages mean(2, 6, 4) = 4; basket 0; device Unknown; customer New.
 * ranges: time [10, 30], pages [2, 6], basket [0, 60]; basket / (pages + 1) = 10, 0, 0, 12 -> [0, 12].
 * medians: time 20, pages 4, basket (0 + 30) / 2 = 15.
 */
const TRAIN: RawRecord[] = [
  { time_spent: 10, pages_viewed: 2, basket_value: 30, device_type: 'Mobile', customer_type: 'Returning' },
  { time_spent: 30, pages_viewed: 6, basket_value: 0, device_type: 'Desktop', customer_type: 'New' },
  { time_spent: null, pages_viewed: 4, basket_value: null, device_type: 'Tablet', customer_type: null },
  { time_spent: 20, pages_viewed: null, basket_value: 60, device_type: null, customer_type: 'Returning' },
];

const COLUMNS = [
  'time_spent',
  'pages_viewed',
  'basket_value',
  'device_type=Mobile',
  'device_type=Desktop',
  'device_type=Tablet',
  'device_type=Unknown',
  'customer_type=New',
  'customer_type=Returning',
  'customer_type=Unknown',
  'engagement_score',
  'basket_intensity',
  'behavioral_segment=high_engagement',
  'behavioral_segment=focused_shopper',
  'behavioral_segment=window_shopper',
  'behavioral_segment=casual_browser',
];

/** The 16 model columns of one row, rounded to float32 as the matrix stores them. */
const f32 = (...values: number[]) => Array.from(Float32Array.from(values));
const rowOf = (m: { data: Float32Array; cols: number }, r: number) => Array.from(m.data.subarray(r * m.cols, (r + 1) * m.cols));
/** The bits of a float32 matrix, so NaN and -0 compare exactly too. */
const bits = (data: Float32Array) => new Uint32Array(data.buffer, data.byteOffset, data.length);

let sessions: DatasetSpec;
let pipeline: FeaturePipeline;
beforeAll(async () => {
  sessions = await bundledSpec('customer-sessions');
  pipeline = FeaturePipeline.fit(sessions, TRAIN);
});

describe('FeaturePipeline.fit', () => {
  it('learns the hand-computed fills, ranges and medians from the training records', () => {
    const json = pipeline.toJSON();
    expect(json.imputer.columns.map((c) => c.value)).toEqual([20, 4, 0, 'Unknown', 'New']);
    expect(json.inputs).toEqual([
      { column: 'time_spent', encoding: 'min_max', min: 10, max: 30 },
      { column: 'pages_viewed', encoding: 'min_max', min: 2, max: 6 },
      { column: 'basket_value', encoding: 'min_max', min: 0, max: 60 },
      { column: 'device_type', encoding: 'one_hot', categories: ['Mobile', 'Desktop', 'Tablet', 'Unknown'] },
      { column: 'customer_type', encoding: 'one_hot', categories: ['New', 'Returning', 'Unknown'] },
    ]);
    expect(json.engineered).toEqual([
      { name: 'engagement_score', kind: 'mean_of_scaled' },
      { name: 'basket_intensity', kind: 'ratio_plus_one', min: 0, max: 12 },
      { name: 'behavioral_segment', kind: 'behavioral_segment', medians: { time: 20, pages: 4, basket: 15 } },
    ]);
    expect(pipeline.columnNames).toEqual(COLUMNS);
    expect(pipeline.width).toBe(16);
    expect(json.fittedRows).toBe(4);
  });

  it('refuses training records it cannot learn from', () => {
    expect(() => FeaturePipeline.fit(sessions, [])).toThrow('cannot fit the imputer on 0 training records');
    expect(() => FeaturePipeline.fit(sessions, [{ ...TRAIN[0], pages_viewed: '2' }])).toThrow(
      'cannot fit the mean of "pages_viewed": training record 0 has "2", not a finite number',
    );
  });
});

describe('FeaturePipeline.transform', () => {
  it('imputes, scales, encodes and engineers the training rows as computed by hand', () => {
    const m = pipeline.transform(TRAIN);
    expect([m.rows, m.cols, m.columnNames]).toEqual([4, 16, COLUMNS]);
    // scaled time, pages, basket | device one-hot | customer one-hot | engagement, intensity | segment one-hot
    expect(rowOf(m, 0)).toEqual(f32(0, 0, 0.5, 1, 0, 0, 0, 0, 1, 0, 0, 10 / 12, 0, 1, 0, 0)); // basket 30 > 15, pages 2 <= 4: focused
    expect(rowOf(m, 1)).toEqual(f32(1, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 1, 0, 0, 0)); // time 30 > 20, pages 6 > 4: high engagement
    expect(rowOf(m, 2)).toEqual(f32(0.5, 0.5, 0, 0, 0, 1, 0, 1, 0, 0, 0.5, 0, 0, 0, 0, 1)); // nothing above its median: casual
    expect(rowOf(m, 3)).toEqual(f32(0.5, 0.5, 1, 0, 0, 0, 1, 0, 1, 0, 0.5, 1, 0, 1, 0, 0)); // basket 60 > 15, pages 4 <= 4: focused
  });

  it('computes each engineered feature on new rows with the training statistics', () => {
    // time 25 > 20, pages 3 <= 4, basket 10 <= 15: window_shopper. engagement = (0.75 + 0.25) / 2; intensity 10 / 4 / 12.
    const m = pipeline.transformOne({ time_spent: 25, pages_viewed: 3, basket_value: 10, device_type: 'Tablet', customer_type: 'New' });
    expect(rowOf(m, 0).slice(10)).toEqual(f32(0.5, 2.5 / 12, 0, 0, 1, 0));
  });

  it('clips values outside the training range to [0, 1] (engineered features too)', () => {
    const m = pipeline.transform([
      { time_spent: 300, pages_viewed: 0, basket_value: 6000, device_type: 'Mobile', customer_type: 'New' },
      { time_spent: 0, pages_viewed: 100, basket_value: 0, device_type: 'Mobile', customer_type: 'New' },
    ]);
    // row 0: time -> 1, pages -> 0, basket -> 1; engagement (1 + 0) / 2; intensity 6000 / 1 -> 1.
    expect(rowOf(m, 0).slice(0, 3)).toEqual([1, 0, 1]);
    expect(rowOf(m, 0).slice(10, 12)).toEqual([0.5, 1]);
    expect(rowOf(m, 1).slice(0, 3)).toEqual([0, 1, 0]);
  });

  it('scales a column that was constant in training to 0, whatever the value', () => {
    const flat = FeaturePipeline.fit(
      sessions,
      TRAIN.map((r) => ({ ...r, basket_value: 7 })),
    );
    expect(flat.toJSON().inputs[2]).toEqual({ column: 'basket_value', encoding: 'min_max', min: 7, max: 7 });
    const m = flat.transform([{ ...TRAIN[0], basket_value: 7 }, { ...TRAIN[0], basket_value: 0 }, { ...TRAIN[0], basket_value: 900 }]);
    expect([0, 1, 2].map((r) => m.data[r * m.cols + 2])).toEqual([0, 0, 0]);
    expect(bits(m.data.subarray(2, 3))[0]).toBe(0); // +0, not -0
  });

  it('maps an unseen category to Unknown, and a missing one to its fill, never shifting a column', () => {
    const m = pipeline.transform([
      { ...TRAIN[0], device_type: 'Smart TV', customer_type: 'VIP' },
      { ...TRAIN[0], device_type: undefined, customer_type: null },
    ]);
    expect(rowOf(m, 0).slice(3, 10)).toEqual([0, 0, 0, 1, 0, 0, 1]);
    expect(rowOf(m, 1).slice(3, 10)).toEqual([0, 0, 0, 1, 1, 0, 0]); // device fill Unknown, customer fill New
  });

  it('gives a single row exactly the bits of the same row in a batch (the bundled 500 sessions)', async () => {
    const { records } = await readRecords('data/raw/customer_sessions.csv', sessions);
    const fitted = FeaturePipeline.fit(sessions, records.slice(0, 350));
    const batch = fitted.transform(records);
    const singles = new Float32Array(batch.data.length);
    records.forEach((record, r) => singles.set(fitted.transformOne(record).data, r * batch.cols));
    expect(bits(singles)).toEqual(bits(batch.data));
  });

  it('writes into a caller buffer at a row offset, leaving the other rows alone', () => {
    const out = new Float32Array(4 * 16).fill(-1);
    pipeline.transformInto(TRAIN.slice(1, 3), out, 1);
    expect(Array.from(out.subarray(0, 16))).toEqual(new Array(16).fill(-1));
    expect(Array.from(out.subarray(16, 48))).toEqual(Array.from(pipeline.transform(TRAIN.slice(1, 3)).data));
    expect(Array.from(out.subarray(48))).toEqual(new Array(16).fill(-1));
    expect(() => pipeline.transformInto(TRAIN, out, 1)).toThrow('out has room for 4 rows of 16 columns, 5 are needed (rowOffset 1 + 4 records)');
  });
});

describe('FeaturePipeline on the columns of a read (what a training does)', () => {
  it('fits and transforms rows of the columns exactly as the same rows given as records', async () => {
    for (const [name, file] of [
      ['customer-sessions', 'data/raw/customer_sessions.csv'],
      ['online-shoppers', 'data/external/online_shoppers_intention.csv'],
    ] as const) {
      const spec = await bundledSpec(name);
      const read = await readDataset(path.resolve(ROOT, file), spec);
      const split = stratifiedSplit(read.labels, { seed: 7 });
      const pick = (rows: Uint32Array) => Array.from(rows, (r) => read.records[r]);
      const fromColumns = FeaturePipeline.fitColumns(spec, read.columns, split.train);
      const fromRecords = FeaturePipeline.fit(spec, pick(split.train));
      expect(fromColumns.toJSON()).toEqual(fromRecords.toJSON());
      for (const rows of [split.train, split.test]) {
        expect(bits(fromColumns.transformColumns(read.columns, rows).data)).toEqual(bits(fromRecords.transform(pick(rows)).data));
      }
      expect(bits(fromColumns.transformColumns(read.columns).data)).toEqual(bits(fromRecords.transform(read.records).data));
      // Into a given array (one over shared memory, as a training passes): the same values, in it.
      const out = new Float32Array(new SharedArrayBuffer(split.test.length * fromColumns.width * 4));
      const into = fromColumns.transformColumns(read.columns, split.test, out);
      expect(into.data).toBe(out);
      expect(bits(into.data)).toEqual(bits(fromRecords.transform(pick(split.test)).data));
      expect(() => fromColumns.transformColumns(read.columns, split.test, out.subarray(1))).toThrow(
        `out holds ${out.length - 1} values; ${split.test.length} rows of ${fromColumns.width} columns need ${out.length}`,
      );
    }
  });

  it('names a column the data lacks or holds as the wrong kind', () => {
    const data = columnsFromRecords(sessions, TRAIN);
    const renamed = { rows: data.rows, columns: data.columns.map((c) => (c.name === 'device_type' ? { ...c, name: 'device' } : c)) };
    expect(() => pipeline.transformColumns(renamed)).toThrow('the data has no column "device_type" (it has "time_spent", "pages_viewed", "basket_value", "device", "customer_type")');
    const swapped = { rows: data.rows, columns: data.columns.map((c) => (c.name === 'time_spent' ? { ...data.columns[3], name: 'time_spent' } : c)) };
    expect(() => pipeline.transformColumns(swapped)).toThrow('column "time_spent" must hold numbers for the pipeline, it holds codes');
  });
});

describe('FeaturePipeline JSON', () => {
  it('round-trips exactly: the same document, and bit-identical transforms', async () => {
    const { records, labels } = await readRecords('data/raw/customer_sessions.csv', sessions);
    const train = Array.from(stratifiedSplit(labels).train, (i) => records[i]);
    const fitted = FeaturePipeline.fit(sessions, train);
    const text = JSON.stringify(fitted.toJSON());
    const loaded = FeaturePipeline.fromJSON(JSON.parse(text));
    expect(JSON.stringify(loaded.toJSON())).toBe(text);
    expect(bits(loaded.transform(records).data)).toEqual(bits(fitted.transform(records).data));
  });

  it('refuses a document that is not a pipeline, or is inconsistent, naming the source and the field', () => {
    const good = pipeline.toJSON();
    const load = (doc: unknown) => () => FeaturePipeline.fromJSON(doc, 'bundle/pipeline.json');
    expect(load(null)).toThrow('bundle/pipeline.json: a feature pipeline must be a JSON object, got null');
    expect(load({ ...good, format: 'x' })).toThrow('bundle/pipeline.json: format must be "purchase-feature-pipeline", got "x"');
    expect(load({ ...good, formatVersion: 2 })).toThrow('bundle/pipeline.json: formatVersion 2 is not supported (this code reads version 1)');
    expect(load({ ...good, spec: { ...good.spec, idColumn: 7 } })).toThrow(
      'bundle/pipeline.json (spec): idColumn must be a non-empty string, got 7',
    );
    const inputs = good.inputs.map((e, i) => (i === 0 ? { ...e, min: 50 } : e));
    expect(load({ ...good, inputs })).toThrow('bundle/pipeline.json: inputs[0] needs finite min <= max, got min 50, max 30');
    const categories = good.inputs.map((e, i) => (i === 3 ? { ...e, categories: ['Desktop', 'Mobile', 'Tablet', 'Unknown'] } : e));
    expect(load({ ...good, inputs: categories })).toThrow(
      'bundle/pipeline.json: inputs[3] ("device_type") categories must be ["Mobile","Desktop","Tablet","Unknown"] as in the spec, got ["Desktop","Mobile","Tablet","Unknown"]',
    );
    const names = [...good.columnNames];
    [names[3], names[4]] = [names[4], names[3]];
    expect(load({ ...good, columnNames: names })).toThrow(
      'bundle/pipeline.json: 2 problems in the feature pipeline:\n  - columnNames[3] is "device_type=Desktop", the fitted state gives "device_type=Mobile"\n  - columnNames[4] is "device_type=Mobile", the fitted state gives "device_type=Desktop"',
    );
    expect(load({ ...good, engineered: good.engineered.slice(0, 2) })).toThrow(
      'bundle/pipeline.json: engineered must have one entry per engineered feature of the spec (3), got 2',
    );
  });
});

describe('FeaturePipeline on the bundled datasets and a third schema', () => {
  it('transforms the UCI data: 82 columns, all in [0, 1], one category set per one-hot block', async () => {
    const spec = await bundledSpec('online-shoppers');
    const { records, labels } = await readRecords('data/external/online_shoppers_intention.csv', spec);
    const fitted = FeaturePipeline.fit(
      spec,
      Array.from(stratifiedSplit(labels).train, (i) => records[i]),
    );
    const m = fitted.transform(records);
    expect([m.rows, m.cols]).toEqual([12330, 82]);
    expect(m.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    // Per one-hot block (column prefix), how many rows set exactly one column, and how many set Unknown.
    const tally = new Map<string, { one: number; unknown: number }>();
    const prefixes = m.columnNames.map((n) => (n.includes('=') ? n.slice(0, n.indexOf('=')) : null));
    for (let r = 0; r < m.rows; r++) {
      const sums = new Map<string, number>();
      for (let c = 0; c < m.cols; c++) {
        const p = prefixes[c];
        if (p === null) continue;
        const v = m.data[r * m.cols + c];
        sums.set(p, (sums.get(p) ?? 0) + v);
        if (!tally.has(p)) tally.set(p, { one: 0, unknown: 0 });
        if (v === 1 && m.columnNames[c].endsWith('=Unknown')) (tally.get(p) as { unknown: number }).unknown++;
      }
      for (const [p, sum] of sums) if (sum === 1) (tally.get(p) as { one: number }).one++;
    }
    expect(Object.fromEntries(tally)).toEqual(
      Object.fromEntries(['Month', 'OperatingSystems', 'Browser', 'Region', 'TrafficType', 'VisitorType', 'Weekend'].map((p) => [p, { one: 12330, unknown: 0 }])),
    );
  });

  it('gives NaN, not a made-up value, for a missing value under the "reject" rule that skipped validation', async () => {
    const spec = await bundledSpec('online-shoppers');
    const { records } = await readRecords('data/external/online_shoppers_intention.csv', spec);
    const fitted = FeaturePipeline.fit(spec, records.slice(0, 100));
    const m = fitted.transformOne({ ...records[0], PageValues: null, Month: null });
    const nan = m.columnNames.filter((_, i) => Number.isNaN(m.data[i]));
    expect(nan).toEqual(['PageValues', ...spec.columns.flatMap((c) => (c.name === 'Month' && c.type === 'category' ? [...c.categories, 'Unknown'].map((v) => `Month=${v}`) : []))]);
    expect(() => FeaturePipeline.fit(spec, [{ ...records[0], PageValues: null }])).toThrow(
      'cannot fit the pipeline: "PageValues" of training record 0 is missing and its rule is "reject"',
    );
  });

  it('trains a dataset of another schema from its spec file alone (string ids, booleans, "NA", most_frequent)', async () => {
    const dir = path.join(__dirname, '../test-fixtures');
    const spec = parseSpec(JSON.parse(readFileSync(path.join(dir, 'subscriptions-spec.json'), 'utf8')), 'subscriptions-spec.json');
    const { records, labels } = await readRecords(path.join(dir, 'subscriptions.csv'), spec);
    expect(Array.from(labels)).toEqual([1, 0, 1, 0, 1]);
    const fitted = FeaturePipeline.fit(spec, records);
    // seats: median(10, 3, 40, 1) = 6.5 -> 7 (integer column); plan: pro (2 of 4); auto_renew: true (3 of 4).
    expect(fitted.imputer.columns.map((c) => c.value)).toEqual([7, null, 'pro', true]);
    const m = fitted.transform(records);
    expect(m.columnNames).toEqual(['seats', 'monthly_fee', 'plan=basic', 'plan=pro', 'plan=team', 'plan=Unknown', 'auto_renew']);
    expect([0, 1, 2, 3, 4].map((r) => rowOf(m, r))).toEqual([
      f32(9 / 39, 99.5 / 199, 0, 1, 0, 0, 1),
      f32(6 / 39, 9 / 199, 1, 0, 0, 0, 0),
      f32(2 / 39, 49 / 199, 0, 1, 0, 0, 1),
      f32(1, 1, 0, 1, 0, 0, 1),
      f32(0, 0, 0, 0, 1, 0, 1),
    ]);
  });
});
