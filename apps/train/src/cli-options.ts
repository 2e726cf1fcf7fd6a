import { parseArgs } from 'node:util';
import { SELECTION_METRICS, type SelectionMetric } from '@purchase/evaluation';
import { CANDIDATE_NAMES, isCandidateName, type CandidateName } from './candidates';
import type { ThresholdRule, TrainOptions } from './training-run';

export const USAGE = `usage: npm run train -- [--data FILE] [--spec SPEC] [--out DIR] [--seed 42]
                        [--models ${CANDIDATE_NAMES.join(',')}] [--select f1|roc_auc|pr_auc|log_loss|profit]
                        [--threshold f1|profit] [--value N] [--cost N] [--max-rejected 0.05] [--resamples 1000]`;

/** Parses the training CLI's arguments; throws an Error whose message names the bad option. */
export function parseTrainArgs(argv: string[]): Omit<TrainOptions, 'log'> {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      data: { type: 'string', default: 'data/raw/customer_sessions.csv' },
      spec: { type: 'string', default: 'data/specs/customer-sessions.json' },
      out: { type: 'string', default: 'models' },
      seed: { type: 'string', default: '42' },
      models: { type: 'string', default: CANDIDATE_NAMES.join(',') },
      select: { type: 'string', default: 'f1' },
      threshold: { type: 'string', default: 'f1' },
      value: { type: 'string' },
      cost: { type: 'string' },
      'max-rejected': { type: 'string', default: '0.05' },
      resamples: { type: 'string', default: '1000' },
    },
  });
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new Error(`--seed must be a non-negative integer, got "${values.seed}"`);
  const models = values.models!.split(',').map((m) => m.trim()).filter((m) => m.length > 0);
  const unknown = models.filter((m) => !isCandidateName(m));
  if (models.length === 0 || unknown.length > 0) {
    throw new Error(`--models must list some of ${CANDIDATE_NAMES.join(', ')}; unknown: "${unknown.join(', ') || values.models}"`);
  }
  if (new Set(models).size !== models.length) throw new Error(`--models lists a model twice: "${values.models}"`);
  if (!(SELECTION_METRICS as readonly string[]).includes(values.select!)) {
    throw new Error(`--select must be one of ${SELECTION_METRICS.join(', ')}, got "${values.select}"`);
  }
  if (values.threshold !== 'f1' && values.threshold !== 'profit') throw new Error(`--threshold must be f1 or profit, got "${values.threshold}"`);
  const positive = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const x = Number(text);
    if (!Number.isFinite(x) || x < 0) throw new Error(`--${name} must be a number >= 0, got "${text}"`);
    return x;
  };
  const maxRejected = positive('max-rejected', values['max-rejected'])!;
  if (maxRejected > 1) throw new Error(`--max-rejected is a share of rows between 0 and 1, got "${values['max-rejected']}"`);
  const resamples = Number(values.resamples);
  if (!Number.isInteger(resamples) || resamples < 10) throw new Error(`--resamples must be an integer >= 10, got "${values.resamples}"`);
  const value = positive('value', values.value);
  const cost = positive('cost', values.cost);
  return {
    data: values.data!,
    spec: values.spec!,
    out: values.out!,
    seed,
    models: models as CandidateName[],
    select: values.select as SelectionMetric,
    thresholdRule: values.threshold as ThresholdRule,
    maxRejected,
    resamples,
    costs: {
      ...(value === undefined ? {} : { foundPurchaseValue: value }),
      ...(cost === undefined ? {} : { nonBuyerTargetingCost: cost }),
    },
  };
}
