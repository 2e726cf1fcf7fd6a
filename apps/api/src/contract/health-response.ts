import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsNumber, IsObject, IsOptional, IsString, Max, Min, ValidateNested } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';
import { CALIBRATION_METHODS } from '@purchase/inference';

/** What the served model was trained on, from its bundle's dataset spec. */
export class DatasetInfo {
  @JSONSchema({ description: 'Name of the dataset spec.', example: 'customer-sessions' })
  @IsString()
  spec!: string;

  @JSONSchema({ description: 'The training file.', example: 'customer_sessions.csv' })
  @IsString()
  file!: string;

  @JSONSchema({ description: 'Data rows of the training file.' })
  @IsNumber()
  rows!: number;

  @JSONSchema({ description: 'The target column the model predicts.', example: 'purchase' })
  @IsString()
  target!: string;

  @JSONSchema({ description: 'The value of the target that purchase_prediction 1 stands for.', example: '1' })
  @IsString()
  positive!: string;
}

/** The served model's description: PredictorInfo of the inference lib, without the version. */
export class ModelInfo {
  @JSONSchema({ description: 'The kind of model: logistic_regression, mlp, gbdt or random_forest.' })
  @IsString()
  model_type!: string;

  @JSONSchema({ description: 'Which of the trained candidates of the bundle is served.' })
  @IsString()
  candidate!: string;

  @JSONSchema({ description: 'The session fields the model reads.' })
  @IsString({ each: true })
  features!: string[];

  @JSONSchema({ description: "The model's input columns after feature engineering, scaling and encoding." })
  @IsString({ each: true })
  encoded_features!: string[];

  @JSONSchema({ description: 'purchase_prediction is 1 when purchase_probability >= threshold.' })
  @IsNumber()
  @Min(0)
  @Max(1)
  threshold!: number;

  @JSONSchema({ description: 'How the threshold was chosen.' })
  @IsString()
  threshold_rule!: string;

  @JSONSchema({ description: "How the model's probabilities are calibrated before the threshold applies: none, platt or isotonic." })
  @IsIn([...CALIBRATION_METHODS])
  calibration!: string;

  @JSONSchema({ description: 'When the bundle was trained (ISO 8601).' })
  @IsString()
  created_at!: string;

  @JSONSchema({ description: "Headline metrics on the training run's test split." })
  @IsObject()
  metrics!: Record<string, number>;

  @ValidateNested()
  @Type(() => DatasetInfo)
  dataset!: DatasetInfo;
}

@JSONSchema((s) => ({ ...s, required: ['status', 'model_loaded', 'version', 'model_info'] }))
export class HealthResponse {
  @JSONSchema({ description: '"healthy" while a model is loaded and the service is not shutting down.' })
  @IsIn(['healthy', 'unhealthy'])
  status!: 'healthy' | 'unhealthy';

  @IsBoolean()
  model_loaded!: boolean;

  @JSONSchema({ description: 'Version of the model bundle being served; null without a model.', type: ['string', 'null'] })
  @IsOptional()
  @IsString()
  version!: string | null;

  @JSONSchema((s) => ({ anyOf: [s, { type: 'null' }], description: 'The model being served; null without a model.' }))
  @IsOptional()
  @ValidateNested()
  @Type(() => ModelInfo)
  model_info!: ModelInfo | null;
}
