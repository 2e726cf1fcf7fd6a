import path from 'node:path';
import { removedTempsLine } from '@purchase/core';
import { formatReadReport } from '@purchase/preprocessing';
import {
  CANDIDATES,
  CV_DEFAULT_BELOW_ROWS,
  TooManyRejectedError,
  trainAndPublish,
  type CandidateName,
  type TrainingEvent,
  type TrainingOptions,
  type TrainingResult,
} from '@purchase/training';
import { formatCalibrationLine, formatComparisonTable } from './comparison-table';
import { ProgressBar } from './progress-bar';
import { formatTimingTable } from './timing-table';

/** What the training CLI runs: the library's options, with its lines going to `log` instead of events. */
export type TrainOptions = Omit<TrainingOptions, 'onEvent'> & { log: (line: string) => void };

/**
 * The training of the CLI: trainAndPublish of @purchase/training, with the read report and the
 * split logged, a progress bar per candidate on stderr, and then the comparison table, the
 * selection, the bundle, and where the time went with the peak memory.
 */
export async function runTraining(options: TrainOptions): Promise<TrainingResult> {
  const { log, ...training } = options;
  const bars = new Map<CandidateName, ProgressBar>();
  const bar = (name: CandidateName) => {
    let b = bars.get(name);
    if (b === undefined) bars.set(name, (b = new ProgressBar(name, CANDIDATES[name].steps)));
    return b;
  };
  const onEvent = (event: TrainingEvent): void => {
    switch (event.kind) {
      case 'read':
        log(formatReadReport(event.read, event.imputer));
        break;
      case 'split':
        log(
          `split (seed ${event.seed}, stratified 70/15/15): train ${event.rows.train}, validation ${event.rows.validation}, test ${event.rows.test}; ${event.features} features`,
        );
        break;
      case 'selection': {
        const cv = event.crossValidation;
        log(
          cv === null
            ? 'selection, thresholds and calibration: on the validation split'
            : `selection, thresholds and calibration: out of fold, stratified ${cv.folds}-fold cross-validation x ${cv.repeats} of train + validation ` +
                `(${cv.rows} rows${cv.byDefault ? `, the default below ${CV_DEFAULT_BELOW_ROWS}` : ''}); final models refitted on train + validation`,
        );
        break;
      }
      case 'fit': {
        const p = event.progress;
        bar(event.candidate).update(p.step, p.totalSteps, p.validationLoss === undefined ? '' : `val loss ${p.validationLoss.toFixed(4)}`);
        break;
      }
      case 'fitted':
        bar(event.candidate).finish(`fitted in ${event.fitSeconds.toFixed(2)} s`);
        break;
    }
  };

  const started = performance.now();
  const result = await trainAndPublish({ ...training, onEvent }).catch((err: unknown) => {
    if (!(err instanceof TooManyRejectedError)) throw err;
    throw new Error(`${err.file}: ${err.rejected} of ${err.total} rows rejected, more than --max-rejected ${err.maxRejected}; fix the data or raise the limit`);
  });
  const { bundle, selected, metrics } = result;
  const rows = Object.entries(metrics.models).map(([name, m]) => ({ name, threshold: m.threshold, fitSeconds: m.fitSeconds, validation: m.validation, test: m.test }));
  log(formatComparisonTable(rows, metrics.baseline, selected, metrics.selection.chosenOn === 'out-of-fold' ? 'out-of-fold' : 'validation'));
  log(formatCalibrationLine(metrics));
  log(`selected: ${selected} by ${metrics.selection.chosenOn} ${options.select}; on test it ${metrics.models[selected].beatsBaselineOnTest.verdict}`);
  log(`bundle: ${bundle.dir} (version ${bundle.version}); ${path.join(options.out, 'current')} -> ${bundle.version}`);
  if (bundle.removedTemps.length > 0) log(removedTempsLine(bundle.removedTemps, 'stale'));
  // maxRSS is in kilobytes: the peak of the whole process so far, the fits included.
  log(formatTimingTable(result.timings, (performance.now() - started) / 1000, process.resourceUsage().maxRSS * 1024));
  return result;
}
