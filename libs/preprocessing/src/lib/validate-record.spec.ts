import { bundledSpec } from '../test-fixtures/bundled-specs';
import { validateRecord } from './validate-record';

const spec = bundledSpec('customer-sessions');
const valid = { customer_id: 1, time_spent: 12.5, pages_viewed: 4, basket_value: 30, device_type: 'Mobile', customer_type: 'New' };

describe('validateRecord', () => {
  it('accepts a valid record, the id column, and nulls where the rule imputes', () => {
    expect(validateRecord(spec, valid)).toEqual([]);
    expect(validateRecord(spec, { time_spent: null, pages_viewed: undefined, basket_value: null, device_type: null, customer_type: null })).toEqual([]);
  });

  it('reports each wrong value with its rule and an exact message', () => {
    const bad = { time_spent: '12', pages_viewed: 4.5, basket_value: -1, device_type: 'Phone', customer_type: 3, colour: 'red' };
    expect(validateRecord(spec, bad)).toEqual([
      { column: 'time_spent', rule: 'type', message: 'time_spent: expected a number, got "12"' },
      { column: 'pages_viewed', rule: 'integer', message: 'pages_viewed: expected an integer, got 4.5' },
      { column: 'basket_value', rule: 'range', message: 'basket_value: -1 is below the minimum 0' },
      { column: 'device_type', rule: 'category', message: 'device_type: "Phone" is not one of "Mobile", "Desktop", "Tablet", "Unknown"' },
      { column: 'customer_type', rule: 'type', message: 'customer_type: expected a category (a string), got 3' },
      { column: 'colour', rule: 'unknown_field', message: 'colour: not a field of spec "customer-sessions"' },
    ]);
  });

  it('refuses NaN and infinities', () => {
    expect(validateRecord(spec, { ...valid, time_spent: NaN }).map((e) => e.message)).toEqual(['time_spent: expected a finite number, got NaN']);
    expect(validateRecord(spec, { ...valid, basket_value: -Infinity }).map((e) => e.message)).toEqual([
      'basket_value: expected a finite number, got -Infinity',
    ]);
  });

  it('lets unknown fields through only when asked; an unseen category never', () => {
    expect(validateRecord(spec, { ...valid, extra: 1 }, { allowUnknownFields: true })).toEqual([]);
    expect(validateRecord(spec, { ...valid, device_type: 'Watch' }, { allowUnknownFields: true }).map((e) => e.rule)).toEqual(['category']);
  });

  it('reports a missing value under the "reject" rule', () => {
    const shoppers = bundledSpec('online-shoppers');
    const errors = validateRecord(shoppers, {});
    expect(errors).toHaveLength(17);
    expect(errors[0]).toEqual({ column: 'Administrative', rule: 'missing', message: 'Administrative: is missing and its missing-value rule is "reject"' });
  });
});
