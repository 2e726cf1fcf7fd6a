import { Type } from 'class-transformer';
import { IsIn, IsInt, IsNumber, Max, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;

/**
 * The answer for one session. Response classes are never used to validate requests; they document
 * the answers in the OpenAPI document, and the tests check real answers against them.
 */
export class PredictionResponse {
  @JSONSchema({ description: 'The customer_id of the request.' })
  @IsInt()
  customer_id!: number;

  @JSONSchema({ description: "1 when purchase_probability is at or above the model's decision threshold." })
  @IsIn([0, 1])
  purchase_prediction!: 0 | 1;

  @JSONSchema({ description: 'Estimated probability that the session ends in a purchase.' })
  @IsNumber()
  @Min(0)
  @Max(1)
  purchase_probability!: number;

  @JSONSchema({ description: 'Band of the probability: low < 0.3 <= medium < 0.7 <= high.' })
  @IsIn(CONFIDENCE_LEVELS)
  prediction_confidence!: (typeof CONFIDENCE_LEVELS)[number];
}

export class BatchPredictionResponse {
  @JSONSchema({ description: 'One answer per session, in request order.' })
  @ValidateNested({ each: true })
  @Type(() => PredictionResponse)
  predictions!: PredictionResponse[];

  @IsInt()
  @Min(1)
  total_customers!: number;

  @JSONSchema({ description: 'Time spent serving the request, from its arrival to the answer, in seconds.' })
  @IsNumber()
  @Min(0)
  processing_time_seconds!: number;
}
