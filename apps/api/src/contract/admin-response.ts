import { IsIn, IsOptional, IsString } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

@JSONSchema((s) => ({ ...s, required: ['status', 'version', 'previous_version'] }))
export class ReloadResponse {
  @IsIn(['reloaded'])
  status!: 'reloaded';

  @JSONSchema({ description: 'The bundle version now in service.' })
  @IsString()
  version!: string;

  @JSONSchema({ description: 'The bundle version served before; null if there was none.', type: ['string', 'null'] })
  @IsOptional()
  @IsString()
  previous_version!: string | null;
}
