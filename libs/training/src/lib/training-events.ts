import type { FitProgress } from '@purchase/models';
import type { DatasetReadResult, Imputer } from '@purchase/preprocessing';
import type { CandidateName } from './candidates';
import type { StepTiming } from './step-clock';
import type { SplitName } from './training-splits';

/**
 * What a training reports while it runs, in this order: the data read, the split, where selection is made, then per
 * candidate its fit steps and the end of its fit; and, as each step of the run ends (read, split,
 * pipeline, per candidate fit, score, evaluation and importance, then report and publish), its wall
 * time. A caller draws them (the training CLI prints the read report, a progress bar per candidate
 * and the table of timings); the training itself prints nothing.
 */
export type TrainingEvent =
  /**
   * The data was read and validated. `imputer` is the fitted imputation once the pipeline is
   * fitted; it is absent when the data is refused (too many rows rejected), just before the throw.
   */
  | { kind: 'read'; read: DatasetReadResult; imputer?: Imputer }
  /** Rows per split (stratified 70/15/15 by the seed) and the width of the feature matrix. */
  | { kind: 'split'; seed: number; rows: Record<SplitName, number>; features: number }
  /**
   * Where selection, thresholds and calibration are made: on the validation split, or out of fold
   * by cross-validation of train + validation (`byDefault` when the row count chose it).
   */
  | {
      kind: 'selection';
      on: 'validation' | 'out-of-fold';
      crossValidation: { folds: number; repeats: number; rows: number; byDefault: boolean } | null;
    }
  /** One step of a candidate's fit (an iteration, epoch or tree: CANDIDATES[candidate].steps). */
  | { kind: 'fit'; candidate: CandidateName; progress: FitProgress }
  /** A candidate's fit ended, after `fitSeconds`; scoring and thresholds follow. */
  | { kind: 'fitted'; candidate: CandidateName; fitSeconds: number }
  /** A step of the run ended after `seconds` of wall time (TrainingResult.timings lists them all). */
  | ({ kind: 'step' } & StepTiming);
