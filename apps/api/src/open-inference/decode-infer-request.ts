import type { RawRecord } from '@purchase/inference';
import { INFER_OUTPUT_NAMES, type InferenceRequestBody, type InferOutputName, type TensorDatatype } from '../contract/open-inference';
import type { ContractField, ServingContract } from '../contract/serving-contract';
import { ApiError, clip } from '../errors/api-error';
import type { ValidationIssue } from '../validation/compile-validator';
import { fitsDatatype, isNumericDatatype } from './tensor-datatypes';

export interface DecodedInfer {
  /** One checked row per session, ready for the model. */
  sessions: RawRecord[];
  outputs: InferOutputName[];
}

/** Whether a tensor of `datatype` can carry the field: any numeric datatype for a number, else its own. */
function fits(field: ContractField, datatype: TensorDatatype): boolean {
  return field.type === 'number' || field.type === 'integer' ? isNumericDatatype(datatype) : datatype === field.datatype;
}

/**
 * Turns a structurally valid V2 inference request (columns: one tensor per field of the contract)
 * into sessions (rows), checking what the structure cannot: each field given once with a fitting
 * datatype and shape, every value an element of its declared datatype (INT64 1.5 and UINT8 300
 * are not), the same N everywhere, N within the batch limit, and every value by the same rules as
 * POST /predict (the contract's `row`: a session without its id). All problems are reported
 * together, each at its place in the request (`inputs[2].data[5]`).
 */
export function decodeInferRequest(request: InferenceRequestBody, contract: ServingContract): DecodedInfer {
  const maxBatch = contract.maxBatch;
  const issues: ValidationIssue[] = [];
  const columns = new Map<string, { index: number; values: unknown[] }>();

  request.inputs.forEach((input, k) => {
    const at = `inputs[${k}]`;
    if (columns.has(input.name)) {
      issues.push({ field: `${at}.name`, rule: 'unique', message: `input ${input.name} is given more than once` });
      return;
    }
    const field = contract.field(input.name) as ContractField;
    const numeric = field.type === 'number' || field.type === 'integer';
    const fitting = fits(field, input.datatype);
    if (!fitting) {
      const expected = numeric ? `${field.datatype} (or another numeric datatype)` : field.datatype;
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
  for (const { name } of contract.fields) {
    if (!columns.has(name) && !request.inputs.some((i) => i.name === name)) {
      issues.push({ field: 'inputs', rule: 'required', message: `input ${name} is missing` });
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

  const ordered = contract.fields.map(({ name }) => ({ name, values: (columns.get(name) as { values: unknown[] }).values }));
  const sessions: RawRecord[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const row: Record<string, unknown> = {};
    for (const { name, values } of ordered) row[name] = values[i];
    for (const issue of contract.row.check(row)) {
      const column = columns.get(issue.field);
      const field = column ? `inputs[${column.index}].data[${i}]` : `inputs[${i}]`;
      issues.push({ ...issue, field });
    }
    sessions[i] = row as RawRecord;
  }
  if (issues.length > 0) throw ApiError.validation(issues);

  const wanted = request.outputs?.map((o) => o.name as InferOutputName);
  return { sessions, outputs: wanted ? [...new Set(wanted)] : INFER_OUTPUT_NAMES };
}
