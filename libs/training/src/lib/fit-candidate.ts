import {
  chooseF1Threshold,
  chooseProfitThreshold,
  evaluateScores,
  type CostTable,
  type SplitMetrics,
  type ThresholdChoice,
} from '@purchase/evaluation';
import type { BinaryClassifier } from '@purchase/models';
import { CANDIDATES, type CandidateName } from './candidates';
import type { StepClock } from './step-clock';
import type { TrainingEvent } from './training-events';
import type { TrainingSplits } from './training-splits';

/** How the operating threshold is chosen on validation: F1-optimal or profit-optimal. */
export type ThresholdRule = 'f1' | 'profit';

/** A fitted candidate with its thresholds (chosen on validation) and its scores and metrics on validation and test. */
export interface TrainedCandidate {
  name: CandidateName;
  model: BinaryClassifier;
  fitSeconds: number;
  thresholds: Record<ThresholdRule, ThresholdChoice>;
  /** The operating threshold: thresholds[thresholdRule]. */
  threshold: number;
  metrics: { validation: SplitMetrics; test: SplitMetrics };
  scores: { validation: Float32Array; test: Float32Array };
}

export interface FitCandidateOptions {
  seed: number;
  costs: CostTable;
  thresholdRule: ThresholdRule;
  onEvent: (event: TrainingEvent) => void;
  clock: StepClock;
}

/**
 * Fits one candidate on the training split (validation for early stopping), scores validation and
 * test, chooses both thresholds on validation and evaluates at the operating one on each split
 * (timed as the candidate's 'fit' and 'score' steps).
 */
export async function fitCandidate(name: CandidateName, splits: TrainingSplits, options: FitCandidateOptions): Promise<TrainedCandidate> {
  const { X, y } = splits;
  const { clock } = options;
  const model = CANDIDATES[name].create(options.seed);
  const started = performance.now();
  await clock.timeAsync(
    'fit',
    () =>
      model.fit(X.train, y.train, {
        validation: { X: X.validation, y: y.validation },
        featureNames: [...splits.pipeline.columnNames],
        onProgress: (progress) => options.onEvent({ kind: 'fit', candidate: name, progress }),
      }),
    name,
  );
  const fitSeconds = (performance.now() - started) / 1000;
  options.onEvent({ kind: 'fitted', candidate: name, fitSeconds });
  return clock.time(
    'score',
    () => {
      const scores = { validation: model.predictProba(X.validation), test: model.predictProba(X.test) };
      const thresholds = {
        f1: chooseF1Threshold(y.validation, scores.validation),
        profit: chooseProfitThreshold(y.validation, scores.validation, options.costs),
      };
      const threshold = thresholds[options.thresholdRule].threshold;
      return {
        name,
        model,
        fitSeconds,
        thresholds,
        threshold,
        scores,
        metrics: {
          validation: evaluateScores(y.validation, scores.validation, threshold),
          test: evaluateScores(y.test, scores.test, threshold),
        },
      };
    },
    name,
  );
}
