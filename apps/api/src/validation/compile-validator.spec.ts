import { plainToInstance, Type } from 'class-transformer';
import { IsInt, ValidateNested, validateSync, type ValidationError } from 'class-validator';
import fc from 'fast-check';
import { referenceContract } from '../test-fixtures/contracts';
import { compileValidator, type ValidationIssue } from './compile-validator';

// The classes of the reference contract, as the service builds them from the bundled spec.
const { sessionClass: CustomerSession, inferRequestClass: InferenceRequest } = referenceContract();
const batchPredictionRequestClass = (maxBatch: number) => referenceContract(maxBatch).batchClass;

/** class-validator's own verdict, flattened with the compiled checker's path convention. */
function reference(cls: new () => object, value: object): ValidationIssue[] {
  const errors = validateSync(plainToInstance(cls, value) as object, { whitelist: true, forbidNonWhitelisted: true });
  return flatten(errors, '');
}

function flatten(errors: ValidationError[], path: string): ValidationIssue[] {
  const out: ValidationIssue[] = [];
  for (const e of errors) {
    const field = path === '' ? e.property : /^\d+$/.test(e.property) ? `${path}[${e.property}]` : `${path}.${e.property}`;
    for (const [rule, message] of Object.entries(e.constraints ?? {})) out.push({ field, rule, message });
    out.push(...flatten(e.children ?? [], field));
  }
  return out;
}

const VALID = { customer_id: 7, time_spent: 3.5, pages_viewed: 4, basket_value: 0, device_type: 'Tablet', customer_type: 'New' };

describe('compileValidator(CustomerSession)', () => {
  const check = compileValidator(CustomerSession).check;

  it('accepts a complete session and one with every optional measurement missing or null', () => {
    expect(check(VALID)).toEqual([]);
    expect(check({ customer_id: 1, device_type: 'Unknown', customer_type: 'Returning' })).toEqual([]);
    expect(check({ ...VALID, time_spent: null, pages_viewed: null, basket_value: null })).toEqual([]);
  });

  it('names every failing field and rule with class-validator messages', () => {
    expect(check({ ...VALID, customer_id: 0.5, pages_viewed: 2.5, time_spent: -1, device_type: 'Phone', extra: 1 })).toEqual([
      { field: 'extra', rule: 'whitelistValidation', message: 'property extra should not exist' },
      { field: 'customer_id', rule: 'isInt', message: 'customer_id must be an integer number' },
      { field: 'time_spent', rule: 'min', message: 'time_spent must not be less than 0' },
      { field: 'pages_viewed', rule: 'isInt', message: 'pages_viewed must be an integer number' },
      { field: 'device_type', rule: 'isIn', message: 'device_type must be one of the following values: Mobile, Desktop, Tablet, Unknown' },
    ]);
  });

  it('refuses keys named like inherited methods, which class-transformer would drop silently', () => {
    expect(check({ ...VALID, toString: 1 })).toEqual([{ field: 'toString', rule: 'whitelistValidation', message: 'property toString should not exist' }]);
    expect(check(JSON.parse('{"customer_id":1,"device_type":"Mobile","customer_type":"New","__proto__":{"x":1}}'))).toEqual([
      { field: '__proto__', rule: 'whitelistValidation', message: 'property __proto__ should not exist' },
    ]);
  });

  it('does not coerce strings to numbers', () => {
    expect(check({ ...VALID, basket_value: '12' }).map((i) => i.rule)).toEqual(['min', 'isNumber']);
  });

  it('answers a body that is not an object with one issue on the body itself', () => {
    expect(check([VALID])).toEqual([{ field: '', rule: 'isObject', message: 'the request body must be a JSON object' }]);
    expect(check(null)).toHaveLength(1);
  });
});

describe('compileValidator(batch)', () => {
  const check = compileValidator(batchPredictionRequestClass(3)).check;

  it('checks every element at its index and the batch bounds', () => {
    expect(check({ customers: [VALID, { ...VALID, customer_type: 'Old' }] })).toEqual([
      { field: 'customers[1].customer_type', rule: 'isIn', message: 'customer_type must be one of the following values: New, Returning, Unknown' },
    ]);
    expect(check({ customers: [] })).toEqual([
      { field: 'customers', rule: 'arrayMinSize', message: 'customers must contain at least 1 elements' },
    ]);
    expect(check({ customers: [VALID, VALID, VALID, VALID] })).toEqual([
      { field: 'customers', rule: 'arrayMaxSize', message: 'customers must contain no more than 3 elements' },
    ]);
    expect(check({ customers: [VALID, 5] })).toEqual([{ field: 'customers[1]', rule: 'isObject', message: 'each element of customers must be an object, got a number' }]);
  });

  it('refuses every element that is not an object, where class-validator would recurse into arrays', () => {
    expect(check({ customers: [[]] })).toEqual([{ field: 'customers[0]', rule: 'isObject', message: 'each element of customers must be an object, got an array' }]);
    expect(check({ customers: [null, 'x', VALID] })).toEqual([
      { field: 'customers[0]', rule: 'isObject', message: 'each element of customers must be an object, got null' },
      { field: 'customers[1]', rule: 'isObject', message: 'each element of customers must be an object, got a string' },
    ]);
    // Deep nesting is no deeper a recursion: the first level is refused.
    let deep: unknown = [];
    for (let i = 0; i < 10_000; i++) deep = [deep];
    expect(check({ customers: [deep] })).toEqual([{ field: 'customers[0]', rule: 'isObject', message: 'each element of customers must be an object, got an array' }]);
  });
});

// Values that probe each rule's edges, mixed with arbitrary JSON.
const fieldValue = fc.oneof(
  fc.constantFrom(0, -0, 1, -1, 0.5, 2.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, '', '1', 'Mobile', 'Desktop', 'Tablet', 'Unknown', 'New', 'Returning', 'mobile', true, null, [], {}),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.jsonValue({ maxDepth: 2 }),
);
const FIELD_NAMES = ['customer_id', 'time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type'] as const;
const session = fc.record(
  { ...Object.fromEntries(FIELD_NAMES.map((f) => [f, fieldValue])), extra: fieldValue, customerId: fieldValue },
  { requiredKeys: [] },
);
/**
 * Keys plainToInstance treats specially: it silently drops keys named like inherited methods
 * (toString, valueOf, ...), which the compiled checker refuses as unknown fields, on purpose.
 */
const INHERITED = Object.getOwnPropertyNames(Object.prototype).join('|');
const tame = (v: unknown) => !new RegExp(`"(${INHERITED}|prototype|\\d+)":`).test(JSON.stringify(v));

/** Values whose nested arrays hold objects only: elsewhere the checker differs on purpose (see above). */
const objectElements = (v: Record<string, unknown>) =>
  Object.values(v).every((list) => !Array.isArray(list) || list.every((c) => typeof c === 'object' && c !== null && !Array.isArray(c)));

describe('the compiled checker agrees with class-validator', () => {
  it('on random sessions', () => {
    const check = compileValidator(CustomerSession).check;
    fc.assert(
      fc.property(session.filter(tame), (value) => {
        expect(check(value)).toEqual(reference(CustomerSession, value));
      }),
      { numRuns: 600 },
    );
  });

  it('on random batches', () => {
    const cls = batchPredictionRequestClass(4);
    const check = compileValidator(cls).check;
    const customers = fc.oneof(fc.array(fc.oneof(session, fieldValue), { maxLength: 6 }), fieldValue, session, fc.array(fc.array(session, { maxLength: 2 }), { maxLength: 2 }));
    fc.assert(
      fc.property(fc.record({ customers, other: fieldValue }, { requiredKeys: [] }).filter(tame).filter(objectElements), (value) => {
        expect(check(value)).toEqual(reference(cls, value));
      }),
      { numRuns: 400 },
    );
  });

  it('on random Open Inference requests', () => {
    const check = compileValidator(InferenceRequest).check;
    const input = fc.record(
      {
        name: fc.oneof(fc.constantFrom('time_spent', 'device_type', 'customer_id'), fieldValue),
        shape: fc.oneof(fc.array(fc.integer({ min: -1, max: 3 }), { maxLength: 3 }), fieldValue),
        datatype: fc.oneof(fc.constantFrom('FP32', 'BYTES', 'fp32'), fieldValue),
        data: fc.oneof(fc.array(fieldValue, { maxLength: 3 }), fieldValue),
        parameters: fieldValue,
      },
      { requiredKeys: [] },
    );
    const request = fc.record(
      {
        id: fieldValue,
        inputs: fc.oneof(fc.array(fc.oneof(input, fieldValue), { maxLength: 3 }), fieldValue),
        outputs: fc.oneof(fc.array(fc.record({ name: fc.oneof(fc.constant('purchase_probability'), fieldValue) }, { requiredKeys: [] }), { maxLength: 2 }), fieldValue),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(request.filter(tame).filter(objectElements), (value) => {
        expect(check(value)).toEqual(reference(InferenceRequest, value));
      }),
      { numRuns: 400 },
    );
  });
});

describe('compileValidator refuses what it cannot mirror', () => {
  it('a nested property without @Type()', () => {
    class Inner {
      @IsInt()
      n!: number;
    }
    class Outer {
      @ValidateNested()
      inner!: Inner;
    }
    expect(() => compileValidator(Outer)).toThrow(
      'compileValidator: Outer.inner uses @ValidateNested() without @Type(), which the compiled checker does not mirror',
    );
  });

  it('a class without decorators', () => {
    class Bare {}
    expect(() => compileValidator(Bare)).toThrow('compileValidator: Bare has no validation decorators');
  });

  it('keeps nested classes it can mirror', () => {
    class Inner {
      @IsInt()
      n!: number;
    }
    class Outer {
      @ValidateNested()
      @Type(() => Inner)
      inner!: Inner;
    }
    expect(compileValidator(Outer).check({ inner: { n: 'x' } })).toEqual([
      { field: 'inner.n', rule: 'isInt', message: 'n must be an integer number' },
    ]);
  });
});
