import { SELECTION_METRICS, type SelectionMetric } from '@purchase/evaluation';
import { UsageError, type CliDeclaration, type ParsedCommandLine } from '@purchase/cli';
import {
  CALIBRATION_SETTINGS,
  CANDIDATES,
  CANDIDATE_NAMES,
  CV_DEFAULT_BELOW_ROWS,
  DEFAULT_CV_FOLDS,
  DEFAULT_COSTS,
  isCalibrationSetting,
  isCandidateName,
  tunableCandidates,
  type CandidateName,
  type ThresholdRule,
} from '@purchase/training';
import { delimiterArgument, delimiterOption } from './delimiter-option';
import type { TrainOptions } from './training-run';

/** The training CLI's options: what it parses and what `--help` prints. */
export const TRAIN_CLI = {
  name: 'train',
  command: 'npm run train --',
  description:
    'Trains every requested model on the data, selects one on validation and publishes it as a bundle under --out; ' +
    'with --from-bundle, publishes a bundle trained before instead.',
  options: {
    data: { type: 'string', value: 'FILE', default: 'data/raw/customer_sessions.csv', meaning: 'training CSV' },
    spec: { type: 'string', value: 'FILE', default: 'data/specs/customer-sessions.json', meaning: 'dataset spec, see data/specs/README.md' },
    delimiter: delimiterOption('--spec'),
    out: {
      type: 'string',
      value: 'DIR',
      default: 'models',
      meaning: 'models directory: the bundle goes to <out>/<version> and <out>/current is switched to it',
    },
    seed: { type: 'string', value: 'N', default: '42', meaning: 'seeds the split, model initialisation, sampling, bootstrap and permutation' },
    models: {
      type: 'string',
      value: 'LIST',
      default: CANDIDATE_NAMES.join(','),
      meaning: `candidates, comma-separated: ${CANDIDATE_NAMES.map((n) => `${n} ${CANDIDATES[n].label}`).join('; ')}`,
    },
    select: {
      type: 'string',
      value: 'METRIC',
      default: 'f1',
      meaning: `the metric that selects the model, on validation: ${SELECTION_METRICS.join(', ')}`,
    },
    threshold: {
      type: 'string',
      value: 'RULE',
      default: 'f1',
      meaning: 'how the operating threshold is chosen on validation: f1 (F1-optimal) or profit (profit-optimal)',
    },
    calibration: {
      type: 'string',
      value: 'METHOD',
      default: 'auto',
      meaning:
        `how each model's probabilities are calibrated, fitted on validation before its threshold is chosen: ${CALIBRATION_SETTINGS.join(', ')} ` +
        '(auto: the lowest cross-fitted log loss among none, platt and isotonic; none: the raw probabilities)',
    },
    cv: {
      type: 'string',
      value: 'K',
      defaultText: `${DEFAULT_CV_FOLDS} below ${CV_DEFAULT_BELOW_ROWS} train + validation rows, else 0`,
      meaning:
        'select, choose thresholds and calibrate on out-of-fold predictions of stratified K-fold cross-validation of train + validation, ' +
        'then refit on it; 0: on the validation split. The test split is only scored',
    },
    'cv-repeats': { type: 'string', value: 'R', default: '1', meaning: 'repeats of the cross-validation, each with other folds' },
    tune: {
      type: 'string',
      value: 'N',
      default: '0',
      meaning:
        'seeded random search of N configurations besides the defaults for each listed model with a search space (gbdt: depth, learning rate, ' +
        'min child weight, lambda, subsample, column sample; rf: depth, min samples per leaf, features per split; mlp: hidden layers, dropout, ' +
        'learning rate, L2), each cross-validated on train + validation; the lowest out-of-fold log loss is trained. lr keeps C = 1',
    },
    value: {
      type: 'string',
      value: 'N',
      defaultText: `the spec's costs, else ${DEFAULT_COSTS.foundPurchaseValue}`,
      meaning: 'value of a found purchase, for profit',
    },
    cost: {
      type: 'string',
      value: 'N',
      defaultText: `the spec's costs, else ${DEFAULT_COSTS.nonBuyerTargetingCost}`,
      meaning: 'cost of targeting a non-buyer, for profit',
    },
    'max-rejected': {
      type: 'string',
      value: 'SHARE',
      default: '0.05',
      meaning: 'refuse to train when a larger share of the rows fails validation',
    },
    resamples: { type: 'string', value: 'N', default: '1000', meaning: 'bootstrap resamples for the confidence intervals' },
    'from-bundle': {
      type: 'string',
      value: 'DIR',
      defaultText: 'none',
      meaning:
        'instead of training, publish the bundle trained before at DIR: verify it, copy it into --out as a new version ' +
        '(or reuse the version there with identical content) and switch current to it; no bundle in --out is deleted or overwritten',
    },
  },
} as const satisfies CliDeclaration;

/** What the training CLI runs: a training, or with `fromBundle` the publishing of a bundle trained before. */
export type TrainCommand = Omit<TrainOptions, 'log'> & { fromBundle?: string };

/** Options that only a training reads: with --from-bundle they would be silently ignored. */
const TRAINING_ONLY = Object.keys(TRAIN_CLI.options).filter((name) => name !== 'out' && name !== 'from-bundle');

/** The typed command of the parsed arguments; throws a UsageError whose message names the bad option. */
export function trainCommand(args: ParsedCommandLine<typeof TRAIN_CLI>): TrainCommand {
  const { values } = args;
  const fromBundle = values['from-bundle'];
  const ignored = TRAINING_ONLY.filter((name) => args.given.has(name));
  if (fromBundle !== undefined && ignored.length > 0) {
    throw new UsageError(`--from-bundle publishes a bundle trained before; ${ignored.map((n) => `--${n}`).join(', ')} would not be used`);
  }
  const seed = Number(values.seed);
  if (!Number.isInteger(seed) || seed < 0) throw new UsageError(`--seed must be a non-negative integer, got "${values.seed}"`);
  const models = values.models.split(',').map((m) => m.trim()).filter((m) => m.length > 0);
  const unknown = models.filter((m) => !isCandidateName(m));
  if (models.length === 0 || unknown.length > 0) {
    throw new UsageError(`--models must list some of ${CANDIDATE_NAMES.join(', ')}; unknown: "${unknown.join(', ') || values.models}"`);
  }
  if (new Set(models).size !== models.length) throw new UsageError(`--models lists a model twice: "${values.models}"`);
  if (!(SELECTION_METRICS as readonly string[]).includes(values.select)) {
    throw new UsageError(`--select must be one of ${SELECTION_METRICS.join(', ')}, got "${values.select}"`);
  }
  if (values.threshold !== 'f1' && values.threshold !== 'profit') {
    throw new UsageError(`--threshold must be f1 or profit, got "${values.threshold}"`);
  }
  if (!isCalibrationSetting(values.calibration)) {
    throw new UsageError(`--calibration must be one of ${CALIBRATION_SETTINGS.join(', ')}, got "${values.calibration}"`);
  }
  const cvFolds = values.cv === undefined ? undefined : Number(values.cv);
  if (cvFolds !== undefined && !(Number.isInteger(cvFolds) && (cvFolds === 0 || cvFolds >= 2))) {
    throw new UsageError(`--cv must be 0 (the validation split) or an integer >= 2 (folds), got "${values.cv}"`);
  }
  const cvRepeats = Number(values['cv-repeats']);
  if (!Number.isInteger(cvRepeats) || cvRepeats < 1) throw new UsageError(`--cv-repeats must be an integer >= 1, got "${values['cv-repeats']}"`);
  const tune = Number(values.tune);
  if (!Number.isInteger(tune) || tune < 0) throw new UsageError(`--tune must be an integer >= 0, got "${values.tune}"`);
  if (tune > 0 && tunableCandidates(models as CandidateName[]).length === 0) {
    throw new UsageError(`--tune searches the hyperparameters of ${tunableCandidates(CANDIDATE_NAMES).join(', ')}; --models "${values.models}" lists none of them`);
  }
  const positive = (name: string, text: string | undefined) => {
    if (text === undefined) return undefined;
    const x = Number(text);
    if (!Number.isFinite(x) || x < 0) throw new UsageError(`--${name} must be a number >= 0, got "${text}"`);
    return x;
  };
  const maxRejected = positive('max-rejected', values['max-rejected'])!;
  if (maxRejected > 1) throw new UsageError(`--max-rejected is a share of rows between 0 and 1, got "${values['max-rejected']}"`);
  const resamples = Number(values.resamples);
  if (!Number.isInteger(resamples) || resamples < 10) throw new UsageError(`--resamples must be an integer >= 10, got "${values.resamples}"`);
  const value = positive('value', values.value);
  const cost = positive('cost', values.cost);
  const delimiter = delimiterArgument(values.delimiter);
  return {
    data: values.data,
    spec: values.spec,
    out: values.out,
    seed,
    models: models as CandidateName[],
    select: values.select as SelectionMetric,
    thresholdRule: values.threshold as ThresholdRule,
    calibration: values.calibration,
    ...(cvFolds === undefined ? {} : { cvFolds }),
    cvRepeats,
    tune,
    maxRejected,
    resamples,
    costs: {
      ...(value === undefined ? {} : { foundPurchaseValue: value }),
      ...(cost === undefined ? {} : { nonBuyerTargetingCost: cost }),
    },
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(fromBundle === undefined ? {} : { fromBundle }),
  };
}
