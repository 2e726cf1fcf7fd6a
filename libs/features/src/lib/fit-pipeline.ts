import { medianInPlace } from '@purchase/core';
import { columnNamed, Imputer, UNKNOWN_CATEGORY, type DatasetColumns, type DatasetSpec } from '@purchase/preprocessing';
import type { EngineeredState, InputEncoding } from './pipeline-format';

export interface FittedState {
  imputer: Imputer;
  inputs: InputEncoding[];
  engineered: EngineeredState[];
}

function range(values: Float64Array): { min: number; max: number } {
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) {
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/**
 * Learns everything the transform needs from the training rows only (`rows` of `data`, ascending;
 * default all): imputation fills, then, on the imputed values, each numeric column's range, each
 * ratio feature's range and the segment medians.
 */
export function fitPipelineState(spec: DatasetSpec, data: DatasetColumns, rows?: Uint32Array): FittedState {
  const imputer = Imputer.fitColumns(spec, data, rows);
  const n = rows === undefined ? data.rows : rows.length;
  const imputed = new Map<string, Float64Array>();
  for (const c of spec.columns) {
    if (c.type !== 'number' && c.type !== 'integer') continue;
    const column = columnNamed(data, c.name);
    if (column.kind !== 'number') throw new Error(`cannot fit the pipeline: "${c.name}" is a ${c.type} column but the data holds codes`);
    const fill = imputer.fillFor(c.name);
    const source = column.values;
    const values = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const r = rows === undefined ? i : rows[i];
      const raw = source[r];
      const invalid = raw !== raw ? column.invalid?.get(r) : undefined;
      const v = invalid !== undefined ? invalid : raw === raw ? raw : fill;
      if (typeof v !== 'number' || !Number.isFinite(v)) {
        const why = v === null ? 'is missing and its rule is "reject"' : `is ${JSON.stringify(v)}, not a finite number`;
        throw new Error(`cannot fit the pipeline: "${c.name}" of training record ${i} ${why}`);
      }
      values[i] = v;
    }
    imputed.set(c.name, values);
  }
  const valuesOf = (name: string) => imputed.get(name) as Float64Array;

  const inputs: InputEncoding[] = spec.columns.map((c) => {
    if (c.type === 'category') return { column: c.name, encoding: 'one_hot', categories: [...c.categories, UNKNOWN_CATEGORY] };
    if (c.type === 'boolean') return { column: c.name, encoding: 'boolean' };
    return { column: c.name, encoding: 'min_max', ...range(valuesOf(c.name)) };
  });

  const engineered: EngineeredState[] = spec.engineered.map((f) => {
    switch (f.kind) {
      case 'mean_of_scaled':
        return { name: f.name, kind: f.kind };
      case 'ratio_plus_one': {
        const num = valuesOf(f.numerator);
        const den = valuesOf(f.denominator);
        return { name: f.name, kind: f.kind, ...range(num.map((x, i) => x / (den[i] + 1))) };
      }
      case 'behavioral_segment': {
        const median = (name: string) => medianInPlace(valuesOf(name).slice());
        return { name: f.name, kind: f.kind, medians: { time: median(f.time), pages: median(f.pages), basket: median(f.basket) } };
      }
    }
  });
  return { imputer, inputs, engineered };
}
