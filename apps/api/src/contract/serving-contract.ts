import { Type } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import {
  ArrayMaxSize,
  ArrayMinSize,
  buildMessage,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsNotEmpty,
  IsNumber,
  IsOptional,
  IsString,
  Max,
  Min,
  ValidateBy,
  ValidateNested,
} from 'class-validator';
import { JSONSchema, targetConstructorToSchema } from 'class-validator-jsonschema';
import { CONFIDENCE_BANDS, CONFIDENCE_LEVELS, UNKNOWN_CATEGORY, type ColumnSpec, type DatasetSpec, type MissingRule, type RawRecord } from '@purchase/inference';
import { compileValidator, type CompiledValidator } from '../validation/compile-validator';
import { inferenceRequestClasses, type InferenceRequestBody, type MetadataTensor, type RequestInputBody, type TensorDatatype } from './open-inference';

/** The default largest batch; MAX_BATCH overrides it. */
export const DEFAULT_MAX_BATCH = 1000;

/** The key of the optional client id, for specs without an id column. */
export const CLIENT_ID_FIELD = 'id';

/** Finite numbers only: JSON cannot carry NaN, and 1e999 parses to Infinity. */
const FINITE = { allowNaN: false, allowInfinity: false } as const;

type Constructor = new () => object;
type Schema = Record<string, unknown>;
type Decorator = (target: object, key: string) => void;

/** One input field of the contract: a column of the spec, as a request carries it. */
export interface ContractField {
  readonly name: string;
  readonly type: ColumnSpec['type'];
  /** Whether null or an absent key is accepted (the spec imputes it); false under the "reject" rule. */
  readonly nullable: boolean;
  /** Category columns: the spec's categories and "Unknown". */
  readonly categories?: readonly string[];
  readonly min?: number;
  readonly max?: number;
  /** The Open Inference Protocol datatype: INT64, FP64, BOOL or BYTES. */
  readonly datatype: TensorDatatype;
  readonly description: string;
}

/**
 * The identifier a request may carry and the answer echoes: the spec's id column (its name and
 * type from the spec, required), or, for a spec without one, the optional client `id` (a string or
 * an integer).
 */
export interface ContractId {
  readonly name: string;
  readonly from: 'spec' | 'client';
  readonly type: 'integer' | 'string' | 'string_or_integer';
  readonly required: boolean;
}

/**
 * The request contract of a served bundle, derived from its dataset spec and nothing else: the
 * class-validator classes of a session and a batch (decorators applied programmatically, so
 * class-validator stays the contract), the checkers compiled from them, the OpenAPI schemas
 * generated from the same classes, and the Open Inference Protocol input tensors. Each row of a
 * request is validated once, here; the predictor is then given rows already checked
 * (`predictChecked`). The same rules read CSV cells in `ColumnChecker` of @purchase/preprocessing
 * (a differential test holds the two equal for every column type).
 */
export class ServingContract {
  readonly spec: DatasetSpec;
  readonly maxBatch: number;
  readonly fields: readonly ContractField[];
  /** undefined when the spec has no id column and its inputs already use the name `id`. */
  readonly id: ContractId | undefined;
  /** The body of POST /predict, named CustomerSession in the OpenAPI document. */
  readonly sessionClass: Constructor;
  /** The body of POST /predict/batch: `customers`, 1 to maxBatch sessions. */
  readonly batchClass: Constructor;
  readonly predictionResponseClass: Constructor;
  readonly batchResponseClass: Constructor;
  /** POST /predict. */
  readonly single: CompiledValidator;
  /** POST /predict/batch. */
  readonly batch: CompiledValidator;
  /** One row of a V2 inference: the session without its id. */
  readonly row: CompiledValidator;
  /** The V2 inference request's classes (their input names are the contract's fields). */
  readonly inferRequestClass: new () => InferenceRequestBody;
  readonly inferInputClass: new () => RequestInputBody;
  /** The structure of a V2 inference request (its values are checked row by row with `row`). */
  readonly infer: CompiledValidator;
  /** The V2 model metadata inputs, one tensor per field. */
  readonly inputTensors: readonly MetadataTensor[];
  private readonly byName: ReadonlyMap<string, ContractField>;
  private schemas: Record<string, Schema> | undefined;

  constructor(spec: DatasetSpec, options: { maxBatch?: number } = {}) {
    const maxBatch = options.maxBatch ?? DEFAULT_MAX_BATCH;
    if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);
    this.spec = spec;
    this.maxBatch = maxBatch;
    this.fields = spec.columns.map(contractField);
    this.byName = new Map(this.fields.map((f) => [f.name, f]));
    this.id = contractId(spec);

    this.sessionClass = namedClass('CustomerSession');
    if (this.id) decorate(this.sessionClass, this.id.name, idDecorators(this.id, spec));
    for (const field of this.fields) decorate(this.sessionClass, field.name, fieldDecorators(field));

    const session = this.sessionClass;
    this.batchClass = namedClass('BatchPredictionRequest');
    decorate(this.batchClass, 'customers', [
      ValidateNested({ each: true }),
      ArrayMaxSize(maxBatch),
      ArrayMinSize(1),
      IsArray(),
      Type(() => session),
      JSONSchema({ description: `1 to ${maxBatch} sessions, answered in the same order.` }),
    ]);

    this.predictionResponseClass = predictionResponseClass(this.id);
    const prediction = this.predictionResponseClass;
    this.batchResponseClass = namedClass('BatchPredictionResponse');
    decorate(this.batchResponseClass, 'predictions', [
      ValidateNested({ each: true }),
      Type(() => prediction),
      JSONSchema({ description: 'One answer per session, in request order.' }),
    ]);
    decorate(this.batchResponseClass, 'total_customers', [Min(1), IsInt()]);
    decorate(this.batchResponseClass, 'processing_time_seconds', [
      Min(0),
      IsNumber(),
      JSONSchema({ description: 'Time spent serving the request, from its arrival to the answer, in seconds.' }),
    ]);

    this.single = compileValidator(this.sessionClass);
    this.batch = compileValidator(this.batchClass);
    this.row = compileValidator(this.sessionClass, { omit: this.id ? [this.id.name] : [] });
    const infer = inferenceRequestClasses(this.fields.map((f) => f.name));
    this.inferRequestClass = infer.InferenceRequest;
    this.inferInputClass = infer.RequestInput;
    this.infer = compileValidator(this.inferRequestClass);
    this.inputTensors = this.fields.map((f) => ({ name: f.name, datatype: f.datatype, shape: [-1], parameters: tensorParameters(f) }));
  }

  /** The input field of that name, if the contract has one. */
  field(name: string): ContractField | undefined {
    return this.byName.get(name);
  }

  /**
   * The OpenAPI schemas of the contract's classes, generated from their decorators, keyed by
   * class name (CustomerSession, BatchPredictionRequest, PredictionResponse,
   * BatchPredictionResponse, InferenceRequest, RequestInput). Unknown fields are refused, so the
   * request schemas say so.
   */
  openApiSchemas(refPrefix: string): Record<string, Schema> {
    if (!this.schemas) {
      const schemas: Record<string, Schema> = {};
      const classes = [this.sessionClass, this.batchClass, this.predictionResponseClass, this.batchResponseClass, this.inferRequestClass, this.inferInputClass];
      for (const cls of classes) {
        schemas[cls.name] = targetConstructorToSchema(cls, { classTransformerMetadataStorage: defaultMetadataStorage, refPointerPrefix: refPrefix }) as Schema;
      }
      for (const name of [this.sessionClass.name, this.batchClass.name, this.inferRequestClass.name, this.inferInputClass.name]) schemas[name] = { ...schemas[name], additionalProperties: false };
      this.schemas = schemas;
    }
    return this.schemas;
  }

  /** A complete session, for documentation and the load probe: typical values within the spec's bounds. */
  example(): Record<string, unknown> {
    const session: Record<string, unknown> = {};
    if (this.id?.required) session[this.id.name] = this.id.type === 'integer' ? 42 : 'example-1';
    for (const f of this.fields) session[f.name] = exampleValue(f);
    return session;
  }

  /**
   * The sessions a bundle must score before it is served: the example, and the example with every
   * field the spec imputes left out (so the fitted imputation is exercised too).
   */
  probes(): RawRecord[] {
    const full = this.example() as RawRecord;
    const sparse: RawRecord = { ...full };
    for (const f of this.fields) if (f.nullable) sparse[f.name] = null;
    return [full, sparse];
  }

  /**
   * What a client built against `other` would notice in this contract: the fields added, removed
   * or changed (type, range, categories, whether missing is allowed, the id), by name. Empty when
   * the request contracts are the same.
   */
  differencesFrom(other: ServingContract): string[] {
    const mine = propertySchemas(this);
    const theirs = propertySchemas(other);
    const differences: string[] = [];
    for (const [name, schema] of theirs) {
      if (!mine.has(name)) differences.push(`${name} removed`);
      else if (mine.get(name) !== schema) differences.push(`${name} changed`);
    }
    for (const name of mine.keys()) if (!theirs.has(name)) differences.push(`${name} added`);
    return differences;
  }
}

/** Each property's schema and whether it is required, as one comparable text. */
function propertySchemas(contract: ServingContract): Map<string, string> {
  const schema = contract.openApiSchemas('#/') [contract.sessionClass.name] as { properties?: Record<string, Schema>; required?: string[] };
  const required = new Set(schema.required ?? []);
  const out = new Map<string, string>();
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const { description: _description, example: _example, ...rules } = property;
    out.set(name, JSON.stringify({ rules, required: required.has(name) }));
  }
  return out;
}

function namedClass(name: string): Constructor {
  // The class's name is the schema's name in the OpenAPI document and the $ref of nested schemas.
  return { [name]: class {} }[name];
}

/** Applies property decorators in the order given, as TypeScript applies stacked ones bottom-up. */
function decorate(cls: Constructor, key: string, decorators: Decorator[]): void {
  for (const d of decorators) d(cls.prototype, key);
}

function contractField(column: ColumnSpec): ContractField {
  const nullable = column.missing.rule !== 'reject';
  const description = describeColumn(column);
  switch (column.type) {
    case 'number':
    case 'integer':
      return {
        name: column.name,
        type: column.type,
        nullable,
        ...(column.min !== undefined ? { min: column.min } : {}),
        ...(column.max !== undefined ? { max: column.max } : {}),
        datatype: column.type === 'integer' ? 'INT64' : 'FP64',
        description,
      };
    case 'category':
      return { name: column.name, type: 'category', nullable, categories: [...column.categories, UNKNOWN_CATEGORY], datatype: 'BYTES', description };
    case 'boolean':
      return { name: column.name, type: 'boolean', nullable, datatype: 'BOOL', description };
  }
}

const FILL: Record<MissingRule['rule'], string> = {
  median: 'the median',
  mean: 'the mean',
  most_frequent: 'the commonest value',
  constant: 'a constant',
  reject: '',
};

function describeColumn(column: ColumnSpec): string {
  const unit = column.type === 'number' || column.type === 'integer' ? column.unit : undefined;
  const what = `${column.description ?? column.name}${unit ? ` (${unit})` : ''}.`;
  const missing = column.missing;
  if (missing.rule === 'reject') return `${what} Required.`;
  const fill = missing.rule === 'constant' ? JSON.stringify(missing.value) : FILL[missing.rule];
  return `${what} null or absent when not recorded: imputed with ${fill}, as in training.`;
}

function contractId(spec: DatasetSpec): ContractId | undefined {
  if (spec.idColumn !== null) return { name: spec.idColumn, from: 'spec', type: spec.idType, required: true };
  if (spec.columns.some((c) => c.name === CLIENT_ID_FIELD) || spec.target.column === CLIENT_ID_FIELD) return undefined;
  return { name: CLIENT_ID_FIELD, from: 'client', type: 'string_or_integer', required: false };
}

function idDecorators(id: ContractId, spec: DatasetSpec): Decorator[] {
  switch (id.type) {
    case 'integer':
      // Any integer, as the spec reads an id cell; within the range a JSON number holds exactly.
      return [
        Min(-Number.MAX_SAFE_INTEGER),
        Max(Number.MAX_SAFE_INTEGER),
        IsInt(),
        JSONSchema({ description: `Identifier of the row (column ${id.name} of spec "${spec.name}"), echoed in the answer.`, example: 42 }),
      ];
    case 'string':
      return [
        IsNotEmpty(),
        IsString(),
        JSONSchema({ description: `Identifier of the row (column ${id.name} of spec "${spec.name}"), echoed in the answer.`, example: 'example-1' }),
      ];
    case 'string_or_integer':
      return [
        IsOptional(),
        IsIdentifier(),
        JSONSchema({
          description: `Optional identifier chosen by the client (spec "${spec.name}" has no id column), echoed in the answer: a non-empty string or an integer.`,
          oneOf: [{ type: 'string', minLength: 1 }, { type: 'integer', minimum: -Number.MAX_SAFE_INTEGER, maximum: Number.MAX_SAFE_INTEGER }],
          example: 'order-123',
        } as Schema),
      ];
  }
}

/** A non-empty string, or an integer a JSON number holds exactly. */
function IsIdentifier(): Decorator {
  return ValidateBy({
    name: 'isIdentifier',
    validator: {
      validate: (value: unknown) => (typeof value === 'string' && value.length > 0) || Number.isSafeInteger(value),
      defaultMessage: buildMessage((each) => `${each}$property must be a non-empty string or an integer`),
    },
  });
}

/**
 * The rules of a field in the order a hand-written class would stack them (range rules report
 * before the type rule, as the reference contract always has), then nullability and the schema.
 */
function fieldDecorators(field: ContractField): Decorator[] {
  const rules: Decorator[] = [];
  switch (field.type) {
    case 'number':
    case 'integer':
      if (field.min !== undefined) rules.push(Min(field.min));
      if (field.max !== undefined) rules.push(Max(field.max));
      rules.push(field.type === 'integer' ? IsInt() : IsNumber(FINITE));
      break;
    case 'category':
      rules.push(IsIn(field.categories as string[]));
      break;
    case 'boolean':
      rules.push(IsBoolean());
      break;
  }
  if (field.nullable) {
    rules.push(IsOptional());
    // OpenAPI 3.1 spells "nullable" as a type list; the library's types still describe OpenAPI 3.0.
    // An enum lists null too, or a JSON Schema validator would refuse the null the type allows.
    rules.push(
      JSONSchema((s) => ({ ...s, type: [s.type, 'null'], ...(s.enum ? { enum: [...s.enum, null] } : {}), description: field.description }) as unknown as typeof s),
    );
  } else {
    rules.push(JSONSchema({ description: field.description }));
  }
  return rules;
}

function predictionResponseClass(id: ContractId | undefined): Constructor {
  const cls = namedClass('PredictionResponse');
  if (id) {
    const rule = id.type === 'integer' ? IsInt() : id.type === 'string' ? IsString() : IsIdentifier();
    const description = id.from === 'spec' ? `The ${id.name} of the request.` : 'The id of the request; absent when the request had none.';
    decorate(cls, id.name, id.required ? [rule, JSONSchema({ description })] : [rule, IsOptional(), JSONSchema({ description })]);
  }
  decorate(cls, 'purchase_prediction', [IsIn([0, 1]), JSONSchema({ description: "1 when purchase_probability is at or above the model's decision threshold." })]);
  decorate(cls, 'purchase_probability', [
    Max(1),
    Min(0),
    IsNumber(),
    JSONSchema({ description: 'Estimated probability that the session ends in a purchase.' }),
  ]);
  decorate(cls, 'prediction_confidence', [IsIn([...CONFIDENCE_LEVELS]), JSONSchema({ description: `Band of the probability: low < ${CONFIDENCE_BANDS.medium} <= medium < ${CONFIDENCE_BANDS.high} <= high.` })]);
  return cls;
}

function tensorParameters(field: ContractField): Record<string, unknown> {
  const parameters: Record<string, unknown> = { nullable: field.nullable, description: field.description };
  if (field.categories) parameters.categories = field.categories;
  if (field.min !== undefined) parameters.minimum = field.min;
  if (field.max !== undefined) parameters.maximum = field.max;
  return parameters;
}

function exampleValue(field: ContractField): unknown {
  switch (field.type) {
    case 'category':
      return (field.categories as readonly string[])[0];
    case 'boolean':
      return true;
    case 'number':
    case 'integer': {
      const { min, max } = field;
      let v: number;
      if (min !== undefined && max !== undefined) v = min + (max - min) / 2;
      else if (min !== undefined) v = min + 5;
      else if (max !== undefined) v = max - 5;
      else v = 5;
      return field.type === 'integer' ? (min !== undefined && max !== undefined ? Math.floor(v) : Math.round(v)) : v;
    }
  }
}
