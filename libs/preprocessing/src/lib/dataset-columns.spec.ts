import { bundledSpec } from '../test-fixtures/bundled-specs';
import { tempFile } from '../test-fixtures/temp-files';
import { columnNamed, columnsFromRecords, recordAt } from './dataset-columns';
import { readDataset } from './read-dataset';

const spec = bundledSpec('customer-sessions');
const HEADER = 'customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type,purchase';

describe('columnsFromRecords', () => {
  it('stores numbers as float64 (NaN missing) and categories as codes (0 missing, then the spec order and Unknown)', () => {
    const data = columnsFromRecords(spec, [
      { time_spent: 12.5, pages_viewed: 6, basket_value: null, device_type: 'Tablet', customer_type: 'Unknown' },
      { time_spent: undefined, pages_viewed: 3, basket_value: 0, device_type: null, customer_type: 'New' },
    ]);
    expect(data.rows).toBe(2);
    expect(data.columns.map((c) => c.name)).toEqual(spec.columns.map((c) => c.name));
    const time = columnNamed(data, 'time_spent');
    expect(time.kind === 'number' && [...time.values]).toEqual([12.5, NaN]);
    const device = columnNamed(data, 'device_type');
    expect(device.kind === 'code' && [device.levels, [...device.codes]]).toEqual([['Mobile', 'Desktop', 'Tablet', 'Unknown'], [3, 0]]);
    const customer = columnNamed(data, 'customer_type');
    expect(customer.kind === 'code' && [...customer.codes]).toEqual([3, 1]);
  });

  it('keeps values of the wrong type aside with their row, so nothing is silently read as missing', () => {
    const data = columnsFromRecords(spec, [{ time_spent: '7', pages_viewed: NaN, basket_value: Infinity, device_type: 'Phone', customer_type: 3 }]);
    const byName = (name: string) => columnNamed(data, name);
    expect([...(byName('time_spent').invalid ?? [])]).toEqual([[0, '7']]);
    expect([...(byName('pages_viewed').invalid ?? [])]).toEqual([[0, NaN]]);
    // Infinity is a number: kept as it is (fitting refuses it, scaling clips it).
    expect(byName('basket_value').invalid).toBeUndefined();
    const device = byName('device_type');
    expect(device.kind === 'code' && [[...device.codes], [...(device.invalid ?? [])]]).toEqual([[4], [[0, 'Phone']]]);
    expect(recordAt(data, 0)).toEqual({ time_spent: '7', pages_viewed: NaN, basket_value: Infinity, device_type: 'Phone', customer_type: 3 });
  });

  it('names the columns it has when asked for one it has not', () => {
    expect(() => columnNamed(columnsFromRecords(spec, []), 'age')).toThrow(
      'the data has no column "age" (it has "time_spent", "pages_viewed", "basket_value", "device_type", "customer_type")',
    );
  });
});

describe('readDataset columns', () => {
  it('hold the kept rows, and records / ids are made from them', async () => {
    const text = [HEADER, '3,12.5,6.0,30.00,Mobile,Returning,1', '1,abc,6.0,30.00,Mobile,Returning,1', '2,,,,,New,0'].join('\n');
    const result = await readDataset(tempFile('c.csv', text), spec);
    expect(result.columns.rows).toBe(2);
    const pages = columnNamed(result.columns, 'pages_viewed');
    expect(pages.kind === 'number' && [...pages.values]).toEqual([6, NaN]);
    expect(result.records).toEqual([recordAt(result.columns, 0), recordAt(result.columns, 1)]);
    expect(result.records[1]).toEqual({ time_spent: null, pages_viewed: null, basket_value: null, device_type: null, customer_type: 'New' });
    expect(result.ids).toEqual(['3', '2']);
  });

  it('finds duplicate ids in any order and across chunks of the columns, naming the first line, and keeps ids as written', async () => {
    // 70,000 increasing ids (the cheap path), then ids out of order: repeats of early, late and text ids.
    const rows = Array.from({ length: 70_000 }, (_, i) => `${i + 1},1,1,1,Mobile,New,1`);
    rows.push('69999,1,1,1,Mobile,New,0', '5,1,1,1,Mobile,New,0', '0070001,1,1,1,Mobile,New,0', '70001,1,1,1,Mobile,New,0', '0070001,2,1,1,Mobile,New,1', '-4,1,1,1,Mobile,New,1', '-4,1,1,1,Mobile,New,1');
    const result = await readDataset(tempFile('ids.csv', [HEADER, ...rows].join('\n')), spec);
    expect(result.rejected.map((r) => r.reason)).toEqual([
      'customer_id: duplicate id "69999" (first on line 70000)',
      'customer_id: duplicate id "5" (first on line 6)',
      'customer_id: duplicate id "0070001" (first on line 70004)',
      'customer_id: duplicate id "-4" (first on line 70007)',
    ]);
    expect(result.report.kept).toBe(70_003);
    expect(result.ids.slice(-3)).toEqual(['0070001', '70001', '-4']);
    expect([...result.lines.slice(-3)]).toEqual([70_004, 70_005, 70_007]);
    expect(result.labels[70_002]).toBe(1);
  });
});
