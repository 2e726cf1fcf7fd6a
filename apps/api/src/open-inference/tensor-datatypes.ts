import type { TensorDatatype } from '../contract/open-inference';

/** The largest magnitude of each floating-point datatype. */
const FLOAT_MAX: Partial<Record<TensorDatatype, number>> = { FP16: 65504, FP32: 3.4028234663852886e38, FP64: Number.MAX_VALUE };
/** Integer ranges; the 64-bit ones stop where a JSON number stops being exact. */
const INTEGER_RANGE: Partial<Record<TensorDatatype, [number, number]>> = {
  INT8: [-128, 127],
  INT16: [-32768, 32767],
  INT32: [-2147483648, 2147483647],
  INT64: [-Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER],
  UINT8: [0, 255],
  UINT16: [0, 65535],
  UINT32: [0, 4294967295],
  UINT64: [0, Number.MAX_SAFE_INTEGER],
};

export function isNumericDatatype(datatype: TensorDatatype): boolean {
  return datatype in FLOAT_MAX || datatype in INTEGER_RANGE;
}

/** Whether a JSON value is an element of a tensor of `datatype` (null, a missing value, always is). */
export function fitsDatatype(value: unknown, datatype: TensorDatatype): boolean {
  if (value === null) return true;
  if (datatype === 'BYTES') return typeof value === 'string';
  if (datatype === 'BOOL') return typeof value === 'boolean';
  if (typeof value !== 'number') return false;
  const range = INTEGER_RANGE[datatype];
  if (range) return Number.isInteger(value) && value >= range[0] && value <= range[1];
  const max = FLOAT_MAX[datatype];
  return max !== undefined && Number.isFinite(value) && Math.abs(value) <= max;
}
