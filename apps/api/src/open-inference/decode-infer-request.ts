import { NUMERIC_SESSION_FEATURES, SESSION_FEATURES, type SessionFeature } from '../contract/customer-session';
import { INFER_OUTPUT_NAMES, type InferenceRequest, type InferOutputName } from '../contract/open-inference';
import { ApiError, clip } from '../errors/api-error';
import type { SessionFeatures } from '../model/served-model';
import type { CompiledValidator, ValidationIssue } from '../validation/compile-validator';
import { fitsDatatype, isNumericDatatype, sessionFieldDatatype } from './tensor-datatypes';

export interface DecodedInfer {
  sessions: SessionFeatures[];
  outputs: InferOutputName[];
}

/**
 * Turns a structurally valid V2 inference request (columns: one tensor per session field) into
 * sessions (rows), checking what the structure cannot: each field given once with a fitting
 * datatype and shape, every value an element of its declared datatype (INT64 1.5 and UINT8 300
 * are not), the same N everywhere, N within the batch limit, and every value by the same rules as
 * POST /predict (`rowValidator`, CustomerSession without customer_id). All problems
 * are reported together, each at its place in the request (`inputs[2].data[5]`).
 */
export function decodeInferRequest(request: InferenceRequest, rowValidator: CompiledValidator, maxBatch: number): DecodedInfer {
  const issues: ValidationIssue[] = [];
  const columns = new Map<string, { index: number; values: unknown[] }>();

  request.inputs.forEach((input, k) => {
    const at = `inputs[${k}]`;
    if (columns.has(input.name)) {
      issues.push({ field: `${at}.name`, rule: 'unique', message: `input ${input.name} is given more than once` });
      return;
    }
    const numeric = NUMERIC_SESSION_FEATURES.has(input.name as SessionFeature);
    const fitting = numeric ? isNumericDatatype(input.datatype) : input.datatype === 'BYTES';
    if (!fitting) {
      const advertised = sessionFieldDatatype(input.name as SessionFeature);
      const expected = numeric ? `${advertised} (or another numeric datatype)` : 'BYTES';
      issues.push({ field: `${at}.datatype`, rule: 'datatype', message: `${input.name} must have datatype ${expected}, got ${input.datatype}` });
    }
    const shape = input.shape;
    if (shape.length === 2 && shape[1] !== 1) {
      issues.push({ field: `${at}.shape`, rule: 'shape', message: `shape must be [N] or [N, 1], got [${shape.join(', ')}]` });
      return;
    }
    const values = shape.length === 2 ? input.data.flat(1) : input.data;
    if (values.length !== shape[0]) {
      issues.push({ field: `${at}.data`, rule: 'shape', message: `data has ${values.length} values, shape [${shape.join(', ')}] needs ${shape[0]}` });
      return;
    }
    const misfit = fitting ? values.findIndex((v) => !fitsDatatype(v, input.datatype)) : -1;
    if (misfit >= 0) {
      const value = JSON.stringify(values[misfit]) ?? String(values[misfit]);
      issues.push({ field: `${at}.data[${misfit}]`, rule: 'datatype', message: `${clip(value, 40)} is not a valid ${input.datatype} value` });
      return;
    }
    columns.set(input.name, { index: k, values });
  });
  for (const feature of SESSION_FEATURES) {
    if (!columns.has(feature) && !request.inputs.some((i) => i.name === feature)) {
      issues.push({ field: 'inputs', rule: 'required', message: `input ${feature} is missing` });
    }
  }
  const sizes = [...columns.entries()].map(([name, c]) => ({ name, n: c.values.length }));
  const n = sizes.length > 0 ? sizes[0].n : 0;
  const other = sizes.find((s) => s.n !== n);
  if (other) {
    issues.push({ field: 'inputs', rule: 'sameBatch', message: `every input must have the same N: ${sizes[0].name} has ${n}, ${other.name} has ${other.n}` });
  } else if (sizes.length > 0 && (n < 1 || n > maxBatch)) {
    issues.push({ field: 'inputs', rule: 'batchSize', message: `N must be from 1 to ${maxBatch}, got ${n}` });
  }
  if (issues.length > 0) throw ApiError.validation(issues);

  const ordered = SESSION_FEATURES.map((feature) => ({ feature, values: (columns.get(feature) as { values: unknown[] }).values }));
  const sessions: SessionFeatures[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const { feature, values } of ordered) row[feature] = values[i];
    for (const issue of rowValidator.check(row)) {
      const column = columns.get(issue.field);
      const field = column ? `inputs[${column.index}].data[${i}]` : `inputs[${i}]`;
      issues.push({ ...issue, field });
    }
    sessions[i] = row as unknown as SessionFeatures;
  }
  if (issues.length > 0) throw ApiError.validation(issues);

  const wanted = request.outputs?.map((o) => o.name as InferOutputName);
  return { sessions, outputs: wanted ? [...new Set(wanted)] : INFER_OUTPUT_NAMES };
}
