import { Type } from 'class-transformer';
import { ArrayMaxSize, ArrayMinSize, IsArray, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CustomerSession } from './customer-session';

/** The default largest batch; MAX_BATCH overrides it. */
export const DEFAULT_MAX_BATCH = 1000;

export interface BatchPredictionRequest {
  customers: CustomerSession[];
}

/**
 * The body of POST /predict/batch. The largest batch is configuration, and it belongs to the
 * contract (validation and documentation both state it), so the class is made per limit.
 */
export function batchPredictionRequestClass(maxBatch: number): new () => BatchPredictionRequest {
  if (!Number.isInteger(maxBatch) || maxBatch < 1) throw new RangeError(`maxBatch must be a positive integer, got ${maxBatch}`);

  class BatchPredictionRequest {
    @JSONSchema({ description: `1 to ${maxBatch} sessions, answered in the same order.` })
    @IsArray()
    @ArrayMinSize(1)
    @ArrayMaxSize(maxBatch)
    @ValidateNested({ each: true })
    @Type(() => CustomerSession)
    customers!: CustomerSession[];
  }
  return BatchPredictionRequest;
}
