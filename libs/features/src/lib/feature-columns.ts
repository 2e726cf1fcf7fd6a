import { SEGMENTS } from './behavioral-segment';
import type { EngineeredState, InputEncoding } from './pipeline-format';

/**
 * The model column names, in matrix order: each input column in spec order (a one-hot column is
 * named "column=category"), then each engineered feature in spec order (segments "name=segment").
 */
export function featureColumnNames(inputs: readonly InputEncoding[], engineered: readonly EngineeredState[]): string[] {
  const names: string[] = [];
  for (const e of inputs) {
    if (e.encoding === 'one_hot') for (const c of e.categories) names.push(`${e.column}=${c}`);
    else names.push(e.column);
  }
  for (const f of engineered) {
    if (f.kind === 'behavioral_segment') for (const s of SEGMENTS) names.push(`${f.name}=${s}`);
    else names.push(f.name);
  }
  return names;
}
