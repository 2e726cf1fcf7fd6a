import { Imputer, parseSpec, UNKNOWN_CATEGORY, type DatasetSpec } from '@purchase/preprocessing';
import { featureColumnNames } from './feature-columns';
import type { FittedState } from './fit-pipeline';
import { PIPELINE_FORMAT, PIPELINE_FORMAT_VERSION, type EngineeredState, type InputEncoding } from './pipeline-format';
import { describeValue, isObject } from '@purchase/core';

type Json = Record<string, unknown>;

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkRange(entry: Json, at: string, fail: (m: string) => never): { min: number; max: number } {
  const { min, max } = entry;
  if (!isFinite(min) || !isFinite(max) || min > max) fail(`${at} needs finite min <= max, got min ${describeValue(min)}, max ${describeValue(max)}`);
  return { min: min as number, max: max as number };
}

function readInputs(raw: unknown, spec: DatasetSpec, fail: (m: string) => never): InputEncoding[] {
  if (!Array.isArray(raw) || raw.length !== spec.columns.length) {
    fail(`inputs must have one entry per spec column (${spec.columns.length}), got ${Array.isArray(raw) ? raw.length : describeValue(raw)}`);
  }
  return spec.columns.map((c, i): InputEncoding => {
    const at = `inputs[${i}]`;
    const entry = (raw as unknown[])[i];
    if (!isObject(entry) || entry.column !== c.name) fail(`${at} must be for column "${c.name}", got ${describeValue(isObject(entry) ? entry.column : entry)}`);
    const e = entry as Json;
    const expected = c.type === 'category' ? 'one_hot' : c.type === 'boolean' ? 'boolean' : 'min_max';
    if (e.encoding !== expected) fail(`${at} ("${c.name}", ${c.type}) must have encoding "${expected}", got ${describeValue(e.encoding)}`);
    if (c.type === 'category') {
      const categories = [...c.categories, UNKNOWN_CATEGORY];
      if (describeValue(e.categories) !== describeValue(categories)) fail(`${at} ("${c.name}") categories must be ${describeValue(categories)} as in the spec, got ${describeValue(e.categories)}`);
      return { column: c.name, encoding: 'one_hot', categories };
    }
    if (c.type === 'boolean') return { column: c.name, encoding: 'boolean' };
    return { column: c.name, encoding: 'min_max', ...checkRange(e, at, fail) };
  });
}

function readEngineered(raw: unknown, spec: DatasetSpec, fail: (m: string) => never): EngineeredState[] {
  if (!Array.isArray(raw) || raw.length !== spec.engineered.length) {
    fail(`engineered must have one entry per engineered feature of the spec (${spec.engineered.length}), got ${Array.isArray(raw) ? raw.length : describeValue(raw)}`);
  }
  return spec.engineered.map((f, i): EngineeredState => {
    const at = `engineered[${i}]`;
    const entry = (raw as unknown[])[i];
    if (!isObject(entry) || entry.name !== f.name || entry.kind !== f.kind) {
      fail(`${at} must be the ${f.kind} feature "${f.name}", got ${describeValue(entry)}`);
    }
    const e = entry as Json;
    if (f.kind === 'mean_of_scaled') return { name: f.name, kind: f.kind };
    if (f.kind === 'ratio_plus_one') return { name: f.name, kind: f.kind, ...checkRange(e, at, fail) };
    const m = e.medians;
    if (!isObject(m) || !isFinite(m.time) || !isFinite(m.pages) || !isFinite(m.basket)) {
      fail(`${at} needs finite medians {time, pages, basket}, got ${describeValue(m)}`);
    }
    const { time, pages, basket } = m as { time: number; pages: number; basket: number };
    return { name: f.name, kind: f.kind, medians: { time, pages, basket } };
  });
}

/**
 * Checks a parsed pipeline document (see PipelineJSON) and returns its fitted state. Every part is
 * checked against the spec it carries, and the stored column names against those the state implies,
 * so a document edited by hand or written by other code fails here, not as shifted columns later.
 */
export function readPipelineJSON(json: unknown, source: string): FittedState & { spec: DatasetSpec; fittedRows: number } {
  const fail = (message: string): never => {
    throw new Error(`${source}: ${message}`);
  };
  if (!isObject(json)) return fail(`a feature pipeline must be a JSON object, got ${describeValue(json)}`);
  if (json.format !== PIPELINE_FORMAT) fail(`format must be "${PIPELINE_FORMAT}", got ${describeValue(json.format)}`);
  if (json.formatVersion !== PIPELINE_FORMAT_VERSION) {
    fail(`formatVersion ${describeValue(json.formatVersion)} is not supported (this code reads version ${PIPELINE_FORMAT_VERSION})`);
  }
  const spec = parseSpec(json.spec, `${source} (spec)`);
  const imputer = Imputer.fromJSON(json.imputer, spec, `${source} (imputer)`);
  const fittedRows = json.fittedRows;
  if (fittedRows !== imputer.fittedRows) fail(`fittedRows ${describeValue(fittedRows)} differs from the imputer's ${imputer.fittedRows}`);
  const inputs = readInputs(json.inputs, spec, fail);
  const engineered = readEngineered(json.engineered, spec, fail);
  const expected = featureColumnNames(inputs, engineered);
  const names = json.columnNames;
  if (!Array.isArray(names) || names.length !== expected.length) {
    fail(`columnNames must list the ${expected.length} model columns, got ${Array.isArray(names) ? names.length : describeValue(names)}`);
  }
  (names as unknown[]).forEach((n, i) => {
    if (n !== expected[i]) fail(`columnNames[${i}] is ${describeValue(n)}, the fitted state gives "${expected[i]}"`);
  });
  return { spec, imputer, fittedRows: imputer.fittedRows, inputs, engineered };
}
