import path from 'node:path';
import type { TrainingOptions } from '../lib/train-and-publish';

export const ROOT = path.join(__dirname, '../../../..');
export const SESSIONS_CSV = path.join(ROOT, 'data/raw/customer_sessions.csv');
export const SESSIONS_SPEC = path.join(ROOT, 'data/specs/customer-sessions.json');

/** A training of the bundled sessions into `out` (seed 42, all four models, F1), with `overrides`. */
export function sessionsTraining(out: string, overrides: Partial<TrainingOptions> = {}): TrainingOptions {
  return {
    data: SESSIONS_CSV,
    spec: SESSIONS_SPEC,
    out,
    seed: 42,
    models: ['lr', 'mlp', 'gbdt', 'rf'],
    select: 'f1',
    thresholdRule: 'f1',
    maxRejected: 0.05,
    resamples: 200,
    ...overrides,
  };
}
