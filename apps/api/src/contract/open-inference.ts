/**
 * The Open Inference Protocol (KServe V2) REST shapes this service speaks, as classes: requests are
 * validated against them like the reference routes, and the OpenAPI document shows them.
 * https://github.com/kserve/open-inference-protocol (REST: health, model metadata, infer).
 */
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Min,
  ValidateNested,
} from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export const TENSOR_DATATYPES = [
  'BOOL',
  'UINT8',
  'UINT16',
  'UINT32',
  'UINT64',
  'INT8',
  'INT16',
  'INT32',
  'INT64',
  'FP16',
  'FP32',
  'FP64',
  'BYTES',
] as const;
export type TensorDatatype = (typeof TENSOR_DATATYPES)[number];

/** The tensors an inference answers, one element per session. */
export const INFER_OUTPUTS = {
  purchase_probability: 'FP32',
  purchase_prediction: 'INT64',
  prediction_confidence: 'BYTES',
} as const satisfies Record<string, TensorDatatype>;
export type InferOutputName = keyof typeof INFER_OUTPUTS;
export const INFER_OUTPUT_NAMES = Object.keys(INFER_OUTPUTS) as InferOutputName[];

export class RequestOutput {
  @IsIn(INFER_OUTPUT_NAMES)
  name!: string;

  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export interface RequestInputBody {
  name: string;
  shape: number[];
  datatype: TensorDatatype;
  parameters?: Record<string, unknown>;
  data: unknown[];
}

export interface InferenceRequestBody {
  id?: string;
  parameters?: Record<string, unknown>;
  inputs: RequestInputBody[];
  outputs?: { name: string; parameters?: Record<string, unknown> }[];
}

/**
 * The classes of an inference request for a model whose inputs are `inputNames` (the fields of
 * its contract): the input names are part of the contract, so the classes are made per contract.
 */
export function inferenceRequestClasses(inputNames: readonly string[]): { InferenceRequest: new () => InferenceRequestBody; RequestInput: new () => RequestInputBody } {
  class RequestInput {
    @JSONSchema({ description: 'A field of the model: integers as INT64, other numbers as FP64 (any numeric datatype fits), categories as BYTES, booleans as BOOL.' })
    @IsIn([...inputNames])
    name!: string;

    @JSONSchema({ description: '[N] or [N, 1]: N sessions.' })
    @IsArray()
    @ArrayMinSize(1)
    @ArrayMaxSize(2)
    @IsInt({ each: true })
    @Min(0, { each: true })
    shape!: number[];

    @IsIn(TENSOR_DATATYPES)
    datatype!: TensorDatatype;

    @IsOptional()
    @IsObject()
    parameters?: Record<string, unknown>;

    @JSONSchema({
      description: 'N values in row-major order, flat or nested; null marks a missing value.',
      items: {},
    })
    @IsArray()
    data!: unknown[];
  }

  class InferenceRequest {
    @JSONSchema({ description: 'Echoed in the response.' })
    @IsOptional()
    @IsString()
    id?: string;

    @IsOptional()
    @IsObject()
    parameters?: Record<string, unknown>;

    @JSONSchema({ description: 'One tensor per field of the model, each with the same N.' })
    @IsArray()
    @ArrayMinSize(1)
    @ValidateNested({ each: true })
    @Type(() => RequestInput)
    inputs!: RequestInput[];

    @JSONSchema({ description: 'The outputs wanted; all of them when absent.' })
    @IsOptional()
    @IsArray()
    @ValidateNested({ each: true })
    @Type(() => RequestOutput)
    outputs?: RequestOutput[];
  }
  return { InferenceRequest, RequestInput };
}

export class ResponseOutput {
  @IsIn(INFER_OUTPUT_NAMES)
  name!: string;

  @IsInt({ each: true })
  shape!: number[];

  @IsIn(TENSOR_DATATYPES)
  datatype!: TensorDatatype;

  @JSONSchema({ items: {} })
  @IsArray()
  data!: (number | string)[];
}

export class InferenceResponse {
  @IsString()
  model_name!: string;

  @IsString()
  model_version!: string;

  @IsOptional()
  @IsString()
  id?: string;

  @ValidateNested({ each: true })
  @Type(() => ResponseOutput)
  outputs!: ResponseOutput[];
}

export class MetadataTensor {
  @IsString()
  name!: string;

  @IsIn(TENSOR_DATATYPES)
  datatype!: TensorDatatype;

  @JSONSchema({ description: '-1 for the batch dimension.' })
  @IsInt({ each: true })
  shape!: number[];

  @JSONSchema({
    description:
      "What the model's spec says of an input: nullable (null accepted and imputed), its categories, minimum and maximum, and a description.",
  })
  @IsOptional()
  @IsObject()
  parameters?: Record<string, unknown>;
}

export class ModelMetadataResponse {
  @IsString()
  name!: string;

  @IsString({ each: true })
  versions!: string[];

  @IsString()
  platform!: string;

  @ValidateNested({ each: true })
  @Type(() => MetadataTensor)
  inputs!: MetadataTensor[];

  @ValidateNested({ each: true })
  @Type(() => MetadataTensor)
  outputs!: MetadataTensor[];
}

export class ServerMetadataResponse {
  @IsString()
  name!: string;

  @IsString()
  version!: string;

  @IsString({ each: true })
  extensions!: string[];
}

export class LiveResponse {
  @IsBoolean()
  live!: boolean;
}

export class ReadyResponse {
  @IsBoolean()
  ready!: boolean;
}

export class ModelReadyResponse {
  @IsString()
  name!: string;

  @IsBoolean()
  ready!: boolean;
}
