import { Imputer, parseSpec, UNKNOWN_CATEGORY, type DatasetSpec } from '@purchase/preprocessing';
import { featureColumnNames } from './feature-columns';
import type { FittedState } from './fit-pipeline';
import { PIPELINE_FORMAT, PIPELINE_FORMAT_VERSION, type EngineeredState, type InputEncoding } from './pipeline-format';
import { describeValue, DocumentProblems, isObject } from '@purchase/core';

type Json = Record<string, unknown>;

const isFinite = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function checkRange(entry: Json, at: string, p: DocumentProblems): { min: number; max: number } {
  const { min, max } = entry;
  if (!isFinite(min) || !isFinite(max) || min > max) p.add(at, `needs finite min <= max, got min ${describeValue(min)}, max ${describeValue(max)}`);
  return { min: min as number, max: max as number };
}

function readInputs(raw: unknown, spec: DatasetSpec, p: DocumentProblems): InputEncoding[] {
  if (!Array.isArray(raw) || raw.length !== spec.columns.length) {
    p.add('inputs', `must have one entry per spec column (${spec.columns.length}), got ${Array.isArray(raw) ? raw.length : describeValue(raw)}`);
    return [];
  }
  return spec.columns.map((c, i): InputEncoding => {
    const at = `inputs[${i}]`;
    const entry = raw[i];
    const e = isObject(entry) ? entry : {};
    if (!isObject(entry) || entry.column !== c.name) p.add(at, `must be for column "${c.name}", got ${describeValue(isObject(entry) ? entry.column : entry)}`);
    const expected = c.type === 'category' ? 'one_hot' : c.type === 'boolean' ? 'boolean' : 'min_max';
    if (isObject(entry) && e.encoding !== expected) p.add(at, `("${c.name}", ${c.type}) must have encoding "${expected}", got ${describeValue(e.encoding)}`);
    if (c.type === 'category') {
      const categories = [...c.categories, UNKNOWN_CATEGORY];
      if (isObject(entry) && describeValue(e.categories) !== describeValue(categories)) {
        p.add(at, `("${c.name}") categories must be ${describeValue(categories)} as in the spec, got ${describeValue(e.categories)}`);
      }
      return { column: c.name, encoding: 'one_hot', categories };
    }
    if (c.type === 'boolean') return { column: c.name, encoding: 'boolean' };
    return { column: c.name, encoding: 'min_max', ...(isObject(entry) ? checkRange(e, at, p) : { min: NaN, max: NaN }) };
  });
}

function readEngineered(raw: unknown, spec: DatasetSpec, p: DocumentProblems): EngineeredState[] {
  if (!Array.isArray(raw) || raw.length !== spec.engineered.length) {
    p.add('engineered', `must have one entry per engineered feature of the spec (${spec.engineered.length}), got ${Array.isArray(raw) ? raw.length : describeValue(raw)}`);
    return [];
  }
  return spec.engineered.map((f, i): EngineeredState => {
    const at = `engineered[${i}]`;
    const entry = raw[i];
    if (!isObject(entry) || entry.name !== f.name || entry.kind !== f.kind) p.add(at, `must be the ${f.kind} feature "${f.name}", got ${describeValue(entry)}`);
    const e = isObject(entry) ? entry : {};
    if (f.kind === 'mean_of_scaled') return { name: f.name, kind: f.kind };
    if (f.kind === 'ratio_plus_one') return { name: f.name, kind: f.kind, ...checkRange(e, at, p) };
    const m = e.medians;
    if (!isObject(m) || !isFinite(m.time) || !isFinite(m.pages) || !isFinite(m.basket)) {
      p.add(at, `needs finite medians {time, pages, basket}, got ${describeValue(m)}`);
    }
    const { time, pages, basket } = (isObject(m) ? m : {}) as { time: number; pages: number; basket: number };
    return { name: f.name, kind: f.kind, medians: { time, pages, basket } };
  });
}

/**
 * Checks a parsed pipeline document (see PipelineJSON) and returns its fitted state. Every part is
 * checked against the spec it carries, and the stored column names against those the state implies,
 * so a document edited by hand or written by other code fails here, not as shifted columns later.
 * Every problem is collected, each at its path, and reported in one Error.
 */
export function readPipelineJSON(json: unknown, source: string): FittedState & { spec: DatasetSpec; fittedRows: number } {
  const p = new DocumentProblems();
  if (!isObject(json)) {
    p.add('', `a feature pipeline must be a JSON object, got ${describeValue(json)}`);
    p.throwIfAny(source, 'feature pipeline');
  }
  const doc = json as Json;
  if (doc.format !== PIPELINE_FORMAT) p.add('format', `must be "${PIPELINE_FORMAT}", got ${describeValue(doc.format)}`);
  if (doc.formatVersion !== PIPELINE_FORMAT_VERSION) {
    p.add('formatVersion', `${describeValue(doc.formatVersion)} is not supported (this code reads version ${PIPELINE_FORMAT_VERSION})`);
  }
  // Another format or version: its other fields mean something else.
  p.throwIfAny(source, 'feature pipeline');
  // The spec and the imputer are documents of their own, checked (and reported) by their readers.
  const spec = parseSpec(doc.spec, `${source} (spec)`);
  const imputer = Imputer.fromJSON(doc.imputer, spec, `${source} (imputer)`);
  const fittedRows = doc.fittedRows;
  if (fittedRows !== imputer.fittedRows) p.add('fittedRows', `${describeValue(fittedRows)} differs from the imputer's ${imputer.fittedRows}`);
  const inputs = readInputs(doc.inputs, spec, p);
  const engineered = readEngineered(doc.engineered, spec, p);
  if (p.empty) {
    // The names the state implies can only be computed from a state that is well formed.
    const expected = featureColumnNames(inputs, engineered);
    const names = doc.columnNames;
    if (!Array.isArray(names) || names.length !== expected.length) {
      p.add('columnNames', `must list the ${expected.length} model columns, got ${Array.isArray(names) ? names.length : describeValue(names)}`);
    } else {
      names.forEach((n, i) => {
        if (n !== expected[i]) p.add(`columnNames[${i}]`, `is ${describeValue(n)}, the fitted state gives "${expected[i]}"`);
      });
    }
  }
  p.throwIfAny(source, 'feature pipeline');
  return { spec, imputer, fittedRows: imputer.fittedRows, inputs, engineered };
}
