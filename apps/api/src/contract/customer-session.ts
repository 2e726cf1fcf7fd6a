import { IsIn, IsInt, IsNumber, IsOptional, IsPositive, Max, Min } from 'class-validator';
import { JSONSchema } from 'class-validator-jsonschema';

export const DEVICE_TYPES = ['Mobile', 'Desktop', 'Tablet', 'Unknown'] as const;
export const CUSTOMER_TYPES = ['New', 'Returning'] as const;
export type DeviceType = (typeof DEVICE_TYPES)[number];
export type CustomerType = (typeof CUSTOMER_TYPES)[number];

/** Finite numbers only: JSON cannot carry NaN, and 1e999 parses to Infinity. */
const FINITE = { allowNaN: false, allowInfinity: false } as const;

/**
 * A numeric feature that may be missing: `null` or an absent key both mean "not measured", and the
 * bundle's fitted imputation fills it in, exactly as for an empty cell of the training CSV.
 */
function MissingAllowed(description: string): (target: object, key: string) => void {
  const optional = IsOptional();
  // OpenAPI 3.1 spells "nullable" as a type list; the library's types still describe OpenAPI 3.0.
  const schema = JSONSchema((s) => ({ ...s, type: [s.type, 'null'], description }) as unknown as typeof s);
  return (target, key) => {
    optional(target, key);
    schema(target, key);
  };
}

/**
 * One browsing session, the body of POST /predict and an element of POST /predict/batch. The
 * validation rules are the reference system's; the OpenAPI document is generated from these
 * decorators and the fast checker is compiled from them, so this class is the one contract.
 *
 * Which fields may be missing: the three session measurements (time_spent, pages_viewed,
 * basket_value) may be null or absent. customer_id, device_type and customer_type are required;
 * a device that was not recorded is sent as "Unknown".
 */
export class CustomerSession {
  @JSONSchema({ description: 'Identifier of the customer, echoed in the answer.', example: 42 })
  @IsInt()
  @IsPositive()
  @Max(Number.MAX_SAFE_INTEGER)
  customer_id!: number;

  @MissingAllowed('Minutes spent on the site in the session; null if not measured.')
  @IsNumber(FINITE)
  @Min(0)
  time_spent?: number | null;

  @MissingAllowed('Number of pages viewed in the session; null if not measured.')
  @IsInt()
  @Min(0)
  pages_viewed?: number | null;

  @MissingAllowed('Value of the basket at the end of the session; null if not measured.')
  @IsNumber(FINITE)
  @Min(0)
  basket_value?: number | null;

  @JSONSchema({ description: 'Device of the session; "Unknown" when it was not recorded.' })
  @IsIn(DEVICE_TYPES)
  device_type!: DeviceType;

  @JSONSchema({ description: 'Whether the customer had visited before.' })
  @IsIn(CUSTOMER_TYPES)
  customer_type!: CustomerType;
}

/** The session fields the model reads: every field but customer_id. */
export const SESSION_FEATURES = ['time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type'] as const;
export type SessionFeature = (typeof SESSION_FEATURES)[number];
/** The session fields that are numbers; the others are strings. */
export const NUMERIC_SESSION_FEATURES: ReadonlySet<SessionFeature> = new Set(['time_spent', 'pages_viewed', 'basket_value']);
