import { describeValue, DocumentProblems, isObject } from '@purchase/core';
import { dialectCharacterProblem, DEFAULT_CSV_DIALECT } from './csv-dialect';
import {
  SPEC_FORMAT,
  SPEC_FORMAT_VERSION,
  UNKNOWN_CATEGORY,
  type ColumnSpec,
  type CostSpec,
  type CsvDialect,
  type DatasetSpec,
  type EngineeredFeatureSpec,
  type MissingRule,
  type NumericColumnSpec,
} from './dataset-spec';

type Json = Record<string, unknown>;

const show = describeValue;

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v === 'object' ? 'an object' : show(v);
}

function checkKeys(obj: Json, path: string, allowed: readonly string[], p: DocumentProblems): void {
  for (const key of Object.keys(obj)) {
    if (!allowed.includes(key)) p.add(path, `has an unknown field "${key}" (allowed: ${allowed.join(', ')})`);
  }
}

function text(obj: Json, key: string, path: string, p: DocumentProblems): string {
  const v = obj[key];
  if (typeof v === 'string' && v.length > 0) return v;
  p.add(`${path}${key}`, `must be a non-empty string, got ${show(v)}`);
  return '';
}

function optionalText(obj: Json, key: string, path: string, p: DocumentProblems): string | undefined {
  return obj[key] === undefined ? undefined : text(obj, key, path, p);
}

function optionalNumber(obj: Json, key: string, path: string, p: DocumentProblems): number | undefined {
  const v = obj[key];
  if (v === undefined) return undefined;
  if (typeof v === 'number' && Number.isFinite(v)) return v;
  p.add(`${path}${key}`, `must be a finite number, got ${show(v)}`);
  return undefined;
}

/** The value if it is one of `options` (or `fallback` when absent), else null with the problem noted. */
function oneOf<T extends string>(obj: Json, key: string, path: string, options: readonly T[], p: DocumentProblems, fallback?: T): T | null {
  const v = obj[key];
  if (v === undefined && fallback !== undefined) return fallback;
  if (typeof v === 'string' && (options as readonly string[]).includes(v)) return v as T;
  p.add(`${path}${key}`, `must be one of ${options.map((o) => `"${o}"`).join(', ')}, got ${show(v)}`);
  return null;
}

function parseMissing(col: Json, column: ColumnSpec, path: string, p: DocumentProblems): MissingRule {
  const at = `${path}missing`;
  const m = col['missing'];
  if (!isObject(m)) {
    p.add(at, `must be an object such as {"rule": "median"}, got ${kindOf(m)}`);
    return { rule: 'reject' };
  }
  const rules = ['median', 'mean', 'most_frequent', 'constant', 'reject'] as const;
  const rule = oneOf(m, 'rule', `${at}.`, rules, p);
  if (rule === null) return { rule: 'reject' };
  checkKeys(m, at, rule === 'constant' ? ['rule', 'value'] : ['rule'], p);
  const numeric = column.type === 'number' || column.type === 'integer';
  if ((rule === 'median' || rule === 'mean') && !numeric) {
    p.add(at, `rule "${rule}" needs a number or integer column, "${column.name}" is ${column.type}`);
  }
  if (rule === 'most_frequent' && numeric) {
    p.add(at, `rule "most_frequent" needs a category or boolean column, "${column.name}" is ${column.type}`);
  }
  if (rule !== 'constant') return { rule } as MissingRule;
  const value = m['value'];
  const problem = constantProblem(column, value);
  if (problem) p.add(`${at}.value`, problem);
  return { rule, value: value as number | string | boolean };
}

/** Why `value` cannot fill a missing cell of `column`, or null if it can. */
function constantProblem(column: ColumnSpec, value: unknown): string | null {
  switch (column.type) {
    case 'number':
    case 'integer': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return `must be a finite number, got ${show(value)}`;
      if (column.type === 'integer' && !Number.isInteger(value)) return `must be an integer, got ${value}`;
      if (column.min !== undefined && value < column.min) return `${value} is below the column's minimum ${column.min}`;
      if (column.max !== undefined && value > column.max) return `${value} is above the column's maximum ${column.max}`;
      return null;
    }
    case 'category':
      if (typeof value === 'string' && (value === UNKNOWN_CATEGORY || column.categories.includes(value))) return null;
      return `must be one of the column's categories or "${UNKNOWN_CATEGORY}", got ${show(value)}`;
    case 'boolean':
      return typeof value === 'boolean' ? null : `must be true or false, got ${show(value)}`;
  }
}

const COLUMN_KEYS: Record<ColumnSpec['type'], readonly string[]> = {
  number: ['name', 'type', 'description', 'missing', 'min', 'max', 'unit'],
  integer: ['name', 'type', 'description', 'missing', 'min', 'max', 'unit'],
  category: ['name', 'type', 'description', 'missing', 'categories'],
  boolean: ['name', 'type', 'description', 'missing'],
};

function parseColumn(col: unknown, path: string, p: DocumentProblems): ColumnSpec | null {
  if (!isObject(col)) {
    p.add(path, `must be an object, got ${kindOf(col)}`);
    return null;
  }
  const name = text(col, 'name', `${path}.`, p);
  const type = oneOf(col, 'type', `${path}.`, ['number', 'integer', 'category', 'boolean'] as const, p);
  if (type === null) return null;
  checkKeys(col, path, COLUMN_KEYS[type], p);
  const description = optionalText(col, 'description', `${path}.`, p);
  let column: ColumnSpec;
  if (type === 'number' || type === 'integer') {
    const min = optionalNumber(col, 'min', `${path}.`, p);
    const max = optionalNumber(col, 'max', `${path}.`, p);
    if (min !== undefined && max !== undefined && min > max) p.add(path, `has min ${min} above max ${max}`);
    const unit = optionalText(col, 'unit', `${path}.`, p);
    column = { name, type, missing: { rule: 'reject' }, ...defined({ description, min, max, unit }) };
  } else if (type === 'category') {
    column = { name, type, categories: parseCategories(col['categories'], `${path}.categories`, p), missing: { rule: 'reject' } };
    if (description !== undefined) column.description = description;
  } else {
    column = { name, type, missing: { rule: 'reject' }, ...defined({ description }) };
  }
  column.missing = parseMissing(col, column, `${path}.`, p);
  return column;
}

function parseCategories(v: unknown, path: string, p: DocumentProblems): string[] {
  if (!Array.isArray(v) || v.length === 0) {
    p.add(path, `must be a non-empty array of strings, got ${kindOf(v)}`);
    return [];
  }
  const seen = new Set<string>();
  v.forEach((c, i) => {
    if (typeof c !== 'string' || c.length === 0) p.add(`${path}[${i}]`, `must be a non-empty string, got ${show(c)}`);
    else if (c === UNKNOWN_CATEGORY) p.add(`${path}[${i}]`, `must not be "${UNKNOWN_CATEGORY}": it is always accepted and encoded`);
    else if (seen.has(c)) p.add(`${path}[${i}]`, `repeats "${c}"`);
    seen.add(c);
  });
  return v.filter((c): c is string => typeof c === 'string');
}

function defined<T extends Record<string, unknown>>(obj: T): Partial<T> {
  return Object.fromEntries(Object.entries(obj).filter(([, v]) => v !== undefined)) as Partial<T>;
}

const ENGINEERED_KEYS: Record<EngineeredFeatureSpec['kind'], readonly string[]> = {
  mean_of_scaled: ['name', 'kind', 'description', 'inputs'],
  ratio_plus_one: ['name', 'kind', 'description', 'numerator', 'denominator'],
  behavioral_segment: ['name', 'kind', 'description', 'time', 'pages', 'basket'],
};

function parseEngineered(f: unknown, path: string, numeric: ReadonlyMap<string, NumericColumnSpec>, p: DocumentProblems): EngineeredFeatureSpec | null {
  if (!isObject(f)) {
    p.add(path, `must be an object, got ${kindOf(f)}`);
    return null;
  }
  const name = text(f, 'name', `${path}.`, p);
  const kind = oneOf(f, 'kind', `${path}.`, ['mean_of_scaled', 'ratio_plus_one', 'behavioral_segment'] as const, p);
  if (kind === null) return null;
  checkKeys(f, path, ENGINEERED_KEYS[kind], p);
  const description = optionalText(f, 'description', `${path}.`, p);
  const input = (key: string): string => {
    const v = text(f, key, `${path}.`, p);
    if (v && !numeric.has(v)) p.add(`${path}.${key}`, `"${v}" is not a number or integer column of this spec`);
    return v;
  };
  let feature: EngineeredFeatureSpec;
  if (kind === 'mean_of_scaled') {
    const inputs = f['inputs'];
    if (!Array.isArray(inputs) || inputs.length === 0) {
      p.add(`${path}.inputs`, `must be a non-empty array of column names, got ${kindOf(inputs)}`);
      feature = { name, kind, inputs: [] };
    } else {
      inputs.forEach((v, i) => {
        if (typeof v !== 'string') p.add(`${path}.inputs[${i}]`, `must be a column name, got ${show(v)}`);
        else if (!numeric.has(v)) p.add(`${path}.inputs[${i}]`, `"${v}" is not a number or integer column of this spec`);
      });
      feature = { name, kind, inputs: inputs.map(String) };
    }
  } else if (kind === 'ratio_plus_one') {
    feature = { name, kind, numerator: input('numerator'), denominator: input('denominator') };
    const min = numeric.get(feature.denominator)?.min;
    if (numeric.has(feature.denominator) && !(min !== undefined && min >= 0)) {
      p.add(`${path}.denominator`, `"${feature.denominator}" needs "min" >= 0 in its column spec, so that ${feature.denominator} + 1 is never 0`);
    }
  } else {
    feature = { name, kind, time: input('time'), pages: input('pages'), basket: input('basket') };
  }
  if (description !== undefined) feature.description = description;
  return feature;
}

function parseCosts(v: unknown, p: DocumentProblems): CostSpec | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    p.add('costs', `must be an object, got ${kindOf(v)}`);
    return undefined;
  }
  checkKeys(v, 'costs', ['foundPurchaseValue', 'nonBuyerTargetingCost', 'currency'], p);
  const amount = (key: string): number => {
    const n = v[key];
    if (typeof n === 'number' && Number.isFinite(n) && n >= 0) return n;
    p.add(`costs.${key}`, `must be a number >= 0, got ${show(n)}`);
    return 0;
  };
  const costs: CostSpec = { foundPurchaseValue: amount('foundPurchaseValue'), nonBuyerTargetingCost: amount('nonBuyerTargetingCost') };
  const currency = optionalText(v, 'currency', 'costs.', p);
  if (currency !== undefined) costs.currency = currency;
  return costs;
}

function parseCsvDialect(v: unknown, p: DocumentProblems): CsvDialect | undefined {
  if (v === undefined) return undefined;
  if (!isObject(v)) {
    p.add('csv', `must be an object such as {"delimiter": ";", "quote": "\\""}, got ${kindOf(v)}`);
    return undefined;
  }
  checkKeys(v, 'csv', ['delimiter', 'quote'], p);
  const dialect = { ...DEFAULT_CSV_DIALECT };
  for (const key of ['delimiter', 'quote'] as const) {
    if (v[key] === undefined) continue;
    const problem = dialectCharacterProblem(v[key]);
    if (problem) p.add(`csv.${key}`, problem);
    else dialect[key] = v[key] as string;
  }
  if (dialect.delimiter === dialect.quote) p.add('csv', `has the same delimiter and quote ${JSON.stringify(dialect.quote)}`);
  return dialect;
}

const TOP_KEYS = [
  'format',
  'formatVersion',
  'name',
  'description',
  'idColumn',
  'idType',
  'target',
  'missingValues',
  'duplicateRows',
  'columns',
  'engineered',
  'costs',
  'csv',
] as const;

/**
 * Validates a parsed JSON document as a dataset spec and returns it typed, defaults filled in.
 * Every problem is reported at once, each with its field path, in one Error naming `source`.
 */
export function parseSpec(json: unknown, source: string): DatasetSpec {
  if (!isObject(json)) throw new Error(`${source}: a dataset spec must be a JSON object, got ${kindOf(json)}`);
  if (json['format'] !== SPEC_FORMAT) {
    throw new Error(`${source}: format must be "${SPEC_FORMAT}", got ${show(json['format'])}`);
  }
  if (json['formatVersion'] !== SPEC_FORMAT_VERSION) {
    throw new Error(`${source}: formatVersion ${show(json['formatVersion'])} is not supported (this code reads version ${SPEC_FORMAT_VERSION})`);
  }
  const p = new DocumentProblems();
  checkKeys(json, 'the spec', TOP_KEYS, p);
  const name = text(json, 'name', '', p);
  const description = optionalText(json, 'description', '', p);

  let idColumn: string | null = null;
  if (json['idColumn'] === undefined) p.add('idColumn', 'is missing (use null when the file has no id column)');
  else if (json['idColumn'] !== null) idColumn = text(json, 'idColumn', '', p);
  const idType = oneOf(json, 'idType', '', ['string', 'integer'] as const, p, 'string') ?? 'string';

  const target = { column: '', positive: '', negative: '' };
  if (!isObject(json['target'])) p.add('target', `must be an object {column, positive, negative}, got ${kindOf(json['target'])}`);
  else {
    const t = json['target'];
    checkKeys(t, 'target', ['column', 'positive', 'negative'], p);
    target.column = text(t, 'column', 'target.', p);
    target.positive = text(t, 'positive', 'target.', p);
    target.negative = text(t, 'negative', 'target.', p);
    if (target.positive && target.positive === target.negative) p.add('target', `has the same positive and negative value "${target.positive}"`);
  }

  let missingValues = [''];
  const mv = json['missingValues'];
  if (mv !== undefined) {
    if (!Array.isArray(mv) || !mv.every((v) => typeof v === 'string')) p.add('missingValues', `must be an array of strings, got ${kindOf(mv)}`);
    else missingValues = mv as string[];
  }
  const duplicateRows = oneOf(json, 'duplicateRows', '', ['keep', 'reject'] as const, p, 'keep') ?? 'keep';

  const columns: ColumnSpec[] = [];
  const rawColumns = json['columns'];
  if (!Array.isArray(rawColumns) || rawColumns.length === 0) {
    p.add('columns', `must be a non-empty array of input columns, got ${kindOf(rawColumns)}`);
  } else {
    rawColumns.forEach((c, i) => {
      const column = parseColumn(c, `columns[${i}]`, p);
      if (column) columns.push(column);
    });
  }
  const taken = new Map<string, string>();
  if (idColumn) taken.set(idColumn, 'idColumn');
  if (target.column) {
    if (taken.has(target.column)) p.add('target.column', `"${target.column}" is also the ${taken.get(target.column)}`);
    taken.set(target.column, 'target column');
  }
  columns.forEach((c, i) => {
    if (!c.name) return;
    if (taken.has(c.name)) p.add(`columns[${i}].name`, `"${c.name}" is also the ${taken.get(c.name)}`);
    else taken.set(c.name, `name of columns[${i}]`);
  });

  const numeric = new Map(columns.flatMap((c) => (c.type === 'number' || c.type === 'integer' ? [[c.name, c] as const] : [])));
  const engineered: EngineeredFeatureSpec[] = [];
  const rawEngineered = json['engineered'];
  if (rawEngineered !== undefined && !Array.isArray(rawEngineered)) p.add('engineered', `must be an array, got ${kindOf(rawEngineered)}`);
  else {
    (rawEngineered ?? []).forEach((f: unknown, i: number) => {
      const feature = parseEngineered(f, `engineered[${i}]`, numeric, p);
      if (!feature) return;
      if (feature.name && taken.has(feature.name)) p.add(`engineered[${i}].name`, `"${feature.name}" is also the ${taken.get(feature.name)}`);
      else taken.set(feature.name, `name of engineered[${i}]`);
      engineered.push(feature);
    });
  }
  const costs = parseCosts(json['costs'], p);
  const csv = parseCsvDialect(json['csv'], p);

  p.throwIfAny(source, 'dataset spec');
  const spec: DatasetSpec = {
    format: SPEC_FORMAT,
    formatVersion: SPEC_FORMAT_VERSION,
    name,
    idColumn,
    idType,
    target,
    missingValues,
    duplicateRows,
    columns,
    engineered,
  };
  if (description !== undefined) spec.description = description;
  if (costs) spec.costs = costs;
  if (csv) spec.csv = csv;
  return spec;
}
