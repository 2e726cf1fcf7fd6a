import { bundledSpec } from '../test-fixtures/bundled-specs';
import { inputFields } from './input-fields';

describe('inputFields', () => {
  it('describes each input field of the sessions spec for clients: type, nullability, range, categories with Unknown', () => {
    const fields = inputFields(bundledSpec('customer-sessions'));
    expect(fields.map(({ description: _, ...f }) => f)).toEqual([
      { name: 'time_spent', type: 'number', nullable: true, missingRule: 'median', unit: 'minutes', min: 0 },
      { name: 'pages_viewed', type: 'integer', nullable: true, missingRule: 'mean', min: 0 },
      { name: 'basket_value', type: 'number', nullable: true, missingRule: 'constant', min: 0 },
      { name: 'device_type', type: 'category', nullable: true, missingRule: 'constant', categories: ['Mobile', 'Desktop', 'Tablet', 'Unknown'] },
      { name: 'customer_type', type: 'category', nullable: true, missingRule: 'constant', categories: ['New', 'Returning', 'Unknown'] },
    ]);
  });

  it('marks fields under the "reject" rule as not nullable', () => {
    const fields = inputFields(bundledSpec('online-shoppers'));
    expect(fields.every((f) => !f.nullable)).toBe(true);
    expect(fields.find((f) => f.name === 'BounceRates')).toMatchObject({ min: 0, max: 1 });
  });
});
