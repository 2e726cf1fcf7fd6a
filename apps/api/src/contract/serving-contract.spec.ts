import { validateRecord, type DatasetSpec } from '@purchase/inference';
import fc from 'fast-check';
import { specNamed, type SpecName } from '../test-fixtures/contracts';
import { ServingContract } from './serving-contract';

/** Values around each rule of a field: its bounds, its categories, other types, null, absent. */
function valuesFor(spec: DatasetSpec, name: string): fc.Arbitrary<unknown> {
  const column = spec.columns.find((c) => c.name === name);
  const edges: unknown[] = [null, undefined, '', 'Unknown', true, false, 0, -1, 1, 0.5, 1e308, -1e308, '1', [], {}];
  if (column?.type === 'number' || column?.type === 'integer') {
    for (const b of [column.min, column.max]) if (b !== undefined) edges.push(b, b - 1, b + 1, b - 1e-9, b + 1e-9, b + 0.5);
  }
  if (column?.type === 'category') edges.push(...column.categories, ...column.categories.map((c) => c.toLowerCase()), `${column.categories[0]} `);
  return fc.oneof(fc.constantFrom(...edges), fc.integer({ min: -1000, max: 1000 }), fc.double({ noNaN: true, noDefaultInfinity: true }), fc.string({ maxLength: 3 }));
}

const SPECS: SpecName[] = ['customer-sessions', 'online-shoppers'];

describe.each(SPECS)('the contract of spec %s', (name) => {
  const spec = specNamed(name);
  const contract = new ServingContract(spec);

  it('has exactly the spec columns as fields, in spec order', () => {
    expect(contract.fields.map((f) => f.name)).toEqual(spec.columns.map((c) => c.name));
    expect(contract.inputTensors.map((t) => t.name)).toEqual(spec.columns.map((c) => c.name));
  });

  it('accepts and refuses exactly what the spec accepts and refuses, field by field (the CSV path checks with the spec)', () => {
    const record = fc.record(Object.fromEntries(spec.columns.map((c) => [c.name, valuesFor(spec, c.name)])), { requiredKeys: [] });
    fc.assert(
      fc.property(record, (value) => {
        // JSON has no undefined: a key holding undefined is an absent key.
        const json = JSON.parse(JSON.stringify(value)) as Record<string, unknown>;
        const byContract = [...new Set(contract.row.check(json).map((i) => i.field))].sort();
        const bySpec = [...new Set(validateRecord(spec, json as never).map((e) => e.column))].sort();
        expect(byContract).toEqual(bySpec);
      }),
      { numRuns: 1500 },
    );
  });

  it('scores its probes: a complete example and one with every imputed field missing, both valid', () => {
    for (const probe of contract.probes()) expect(contract.single.check(probe)).toEqual([]);
  });

  it('advertises INT64, FP64, BOOL and BYTES tensors, with the allowed values', () => {
    for (const [i, column] of spec.columns.entries()) {
      const tensor = contract.inputTensors[i];
      const expected = { integer: 'INT64', number: 'FP64', boolean: 'BOOL', category: 'BYTES' }[column.type];
      expect(tensor).toMatchObject({ name: column.name, datatype: expected, shape: [-1] });
      expect(tensor.parameters?.nullable).toBe(column.missing.rule !== 'reject');
      if (column.type === 'category') expect(tensor.parameters?.categories).toEqual([...column.categories, 'Unknown']);
    }
  });

  it('is the same contract as another built from the same spec', () => {
    expect(new ServingContract(structuredClone(spec)).differencesFrom(contract)).toEqual([]);
  });
});

describe('the id of a contract', () => {
  it('is the spec id column, required, with its type', () => {
    const contract = new ServingContract(specNamed('customer-sessions'));
    expect(contract.id).toEqual({ name: 'customer_id', from: 'spec', type: 'integer', required: true });
    expect(contract.single.check({ ...contract.example(), customer_id: -4 })).toEqual([]);
    expect(contract.single.check({ ...contract.example(), customer_id: Number.MAX_SAFE_INTEGER + 1 })).toEqual([
      { field: 'customer_id', rule: 'max', message: `customer_id must not be greater than ${Number.MAX_SAFE_INTEGER}` },
    ]);
    const { customer_id: _id, ...anonymous } = contract.example();
    expect(contract.single.check(anonymous).map((i) => `${i.field}:${i.rule}`)).toEqual(['customer_id:min', 'customer_id:max', 'customer_id:isInt']);
  });

  it('is an optional client id (a non-empty string or an integer) for a spec without an id column', () => {
    const contract = new ServingContract(specNamed('online-shoppers'));
    expect(contract.id).toEqual({ name: 'id', from: 'client', type: 'string_or_integer', required: false });
    const example = contract.example();
    expect(example.id).toBeUndefined();
    for (const id of ['order-1', 7, -7, undefined, null]) expect(contract.single.check({ ...example, id })).toEqual([]);
    // null, like an absent key, means no id.
    for (const id of ['', 1.5, true, [], Number.MAX_SAFE_INTEGER + 2]) {
      expect(contract.single.check({ ...example, id })).toEqual([{ field: 'id', rule: 'isIdentifier', message: 'id must be a non-empty string or an integer' }]);
    }
  });

  it('is not offered when the spec already has an input named id', () => {
    const base = specNamed('online-shoppers');
    const spec: DatasetSpec = { ...base, columns: [...base.columns, { name: 'id', type: 'integer', missing: { rule: 'reject' } }] };
    const contract = new ServingContract(spec);
    expect(contract.id).toBeUndefined();
    expect(contract.fields.at(-1)?.name).toBe('id');
  });
});

describe('differencesFrom', () => {
  const reference = new ServingContract(specNamed('customer-sessions'));

  it('names the fields added, removed and changed', () => {
    expect(new ServingContract(specNamed('online-shoppers')).differencesFrom(reference)).toEqual([
      'customer_id removed',
      'time_spent removed',
      'pages_viewed removed',
      'basket_value removed',
      'device_type removed',
      'customer_type removed',
      'id added',
      ...specNamed('online-shoppers').columns.map((c) => `${c.name} added`),
    ]);
  });

  it('sees a narrower range, a new category and a field that becomes required, and not a new description', () => {
    const base = specNamed('customer-sessions');
    const edited: DatasetSpec = structuredClone(base);
    const [time, pages, , device, customer] = edited.columns;
    if (time.type !== 'number' || device.type !== 'category') throw new Error('the reference spec changed');
    time.max = 600;
    time.description = 'reworded';
    device.categories.push('TV');
    customer.missing = { rule: 'reject' };
    pages.description = 'reworded too';
    expect(new ServingContract(edited).differencesFrom(reference)).toEqual(['time_spent changed', 'device_type changed', 'customer_type changed']);
  });
});

it('refuses a batch limit that is not a positive integer', () => {
  expect(() => new ServingContract(specNamed('customer-sessions'), { maxBatch: 0 })).toThrow('maxBatch must be a positive integer, got 0');
});
