import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

/** One broken rule: which field (a path such as `customers[3].time_spent`), which rule, and why. */
export class ErrorDetail {
  @JSONSchema({ description: 'Path of the field in the request body; empty for the body itself.', example: 'customers[3].time_spent' })
  @IsString()
  field!: string;

  @JSONSchema({ description: 'Name of the broken rule (the class-validator constraint).', example: 'min' })
  @IsString()
  rule!: string;

  @IsString()
  message!: string;
}

/**
 * The one error shape of every route. `error` is a sentence, which also makes it the
 * `{"error": "..."}` object the Open Inference Protocol expects.
 */
export class ErrorResponse {
  @IsInt()
  @Min(400)
  @Max(599)
  status!: number;

  @JSONSchema({ description: 'Stable machine-readable code, e.g. validation_failed, model_not_loaded.' })
  @IsString()
  code!: string;

  @JSONSchema({ description: 'What went wrong, in one sentence.' })
  @IsString()
  error!: string;

  @JSONSchema({ description: 'The failing fields and rules (validation errors), at most 100 and never more than the request is large; empty otherwise.' })
  @ValidateNested({ each: true })
  @Type(() => ErrorDetail)
  details!: ErrorDetail[];

  @JSONSchema({ description: 'How many further details were left out of `details`; absent when none were.', example: 1250 })
  @IsOptional()
  @IsInt()
  @Min(1)
  details_omitted?: number;

  @JSONSchema({ description: 'The x-request-id of the request, to find it in the logs.' })
  @IsString()
  request_id!: string;
}
