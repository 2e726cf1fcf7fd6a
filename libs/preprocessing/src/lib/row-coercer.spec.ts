import { bundledSpec } from '../test-fixtures/bundled-specs';
import { RowCoercer } from './row-coercer';

const spec = bundledSpec('customer-sessions');
const HEADER = ['customer_id', 'time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type', 'purchase'];
const coercer = RowCoercer.forHeader(spec, HEADER, 'sessions.csv');
const row = (line: string) => coercer.coerce(line.split(','));

describe('RowCoercer', () => {
  it('types a valid row: numbers as numbers ("6.0" is the integer 6), categories as text, label 0/1, id', () => {
    expect(row('17,12.5,6.0,0,Mobile,Returning,1')).toEqual({
      ok: true,
      record: { time_spent: 12.5, pages_viewed: 6, basket_value: 0, device_type: 'Mobile', customer_type: 'Returning' },
      label: 1,
      id: '17',
    });
  });

  it('reads empty cells as missing (null) where the rule imputes them', () => {
    expect(row('2,,,,,,0')).toEqual({
      ok: true,
      record: { time_spent: null, pages_viewed: null, basket_value: null, device_type: null, customer_type: null },
      label: 0,
      id: '2',
    });
  });

  it('accepts "Unknown" for any category column', () => {
    const r = row('3,1,1,1,Unknown,New,0');
    expect(r.ok && r.record.device_type).toBe('Unknown');
  });

  it('reports every wrong cell of a row with its column and rule', () => {
    expect(row('x9,abc,6.5,-3,Phone,returning,yes')).toEqual({
      ok: false,
      id: 'x9',
      errors: [
        { column: 'time_spent', rule: 'type', message: 'time_spent: expected a number, got "abc"' },
        { column: 'pages_viewed', rule: 'integer', message: 'pages_viewed: expected an integer, got "6.5"' },
        { column: 'basket_value', rule: 'range', message: 'basket_value: -3 is below the minimum 0' },
        {
          column: 'device_type',
          rule: 'category',
          message: 'device_type: "Phone" is not one of "Mobile", "Desktop", "Tablet", "Unknown"',
        },
        { column: 'customer_type', rule: 'category', message: 'customer_type: "returning" is not one of "New", "Returning", "Unknown"' },
        { column: 'customer_id', rule: 'id', message: 'customer_id: id must be an integer, got "x9"' },
        { column: 'purchase', rule: 'target', message: 'purchase: target must be "1" (positive) or "0" (negative), got "yes"' },
      ],
    });
  });

  it('does not read what Number() would: blanks around numbers, hex, Infinity, overflow', () => {
    const messages = [' 12', '0x10', 'Infinity', '1e999'].map((cell) => {
      const r = row(`1,${cell},1,1,Mobile,New,1`);
      return r.ok ? 'kept' : r.errors[0].message;
    });
    expect(messages).toEqual([
      'time_spent: expected a number, got " 12"',
      'time_spent: expected a number, got "0x10"',
      'time_spent: expected a number, got "Infinity"',
      'time_spent: expected a finite number, got "1e999"',
    ]);
  });

  it('reports a missing target and a missing id', () => {
    const r = row(',1,1,1,Mobile,New,');
    expect(r.ok ? [] : r.errors.map((e) => e.message)).toEqual(['customer_id: id is missing', 'purchase: target is missing']);
  });

  it('reports a row with too few or too many fields before looking at cells', () => {
    expect(row('500,12.1,3.0')).toEqual({ ok: false, id: '500', errors: [{ rule: 'field_count', message: 'has 3 fields, the header has 7' }] });
    expect(row('5,1,1,1,Mobile,New,1,extra').ok).toBe(false);
  });

  it('finds columns by header name, in any order, and lists the columns it ignores', () => {
    const c = RowCoercer.forHeader(spec, [...HEADER].reverse().concat('campaign'), 'f.csv');
    expect(c.ignoredColumns).toEqual(['campaign']);
    expect(c.coerce(['1', 'New', 'Tablet', '9.5', '4.0', '20', '8', 'summer'])).toEqual({
      ok: true,
      record: { time_spent: 20, pages_viewed: 4, basket_value: 9.5, device_type: 'Tablet', customer_type: 'New' },
      label: 1,
      id: '8',
    });
  });

  it('refuses a header without a required column, or with a repeated one', () => {
    expect(() => RowCoercer.forHeader(spec, ['customer_id', 'time_spent', 'purchase'], 'f.csv')).toThrow(
      new Error(
        'f.csv lacks the required columns "pages_viewed", "basket_value", "device_type", "customer_type" of spec "customer-sessions" ' +
          '(its header has "customer_id", "time_spent", "purchase")',
      ),
    );
    expect(() => RowCoercer.forHeader(spec, [...HEADER, 'time_spent'], 'f.csv')).toThrow('f.csv: the header names "time_spent" twice (fields 2 and 8)');
  });

  it('scores files without a target or id when told to, and refuses an unseen category there too', () => {
    const scoring = RowCoercer.forHeader(spec, HEADER.slice(1, 6), 'score.csv', { target: 'ignore', id: 'optional' });
    expect(scoring.coerce(['1', '2', '3', 'Tablet', 'New'])).toEqual({
      ok: true,
      record: { time_spent: 1, pages_viewed: 2, basket_value: 3, device_type: 'Tablet', customer_type: 'New' },
      label: null,
      id: null,
    });
    expect(scoring.coerce(['1', '2', '3', 'Watch', 'New'])).toMatchObject({ ok: false, errors: [{ column: 'device_type', rule: 'category' }] });
  });
});
