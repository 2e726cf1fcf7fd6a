// The public door of @purchase/training: one training run as a function (trainAndPublish), the
// candidates it can train, and what it reports and returns. The training CLI is this plus
// argument parsing, progress bars and printing.
export { trainAndPublish, DEFAULT_BOOTSTRAP_ROWS, DEFAULT_IMPORTANCE_ROWS } from './lib/train-and-publish';
export type { TrainingOptions, TrainingResult } from './lib/train-and-publish';
export type { TrainingEvent } from './lib/training-events';
export { StepClock, TRAINING_STEPS, type TrainingStep, type StepTiming } from './lib/step-clock';
export { splitAndTransform, type TrainingSplits } from './lib/training-splits';
export type { TrainingMetrics } from './lib/training-metrics';
export type { ThresholdRule } from './lib/fit-candidate';
export { CALIBRATION_SETTINGS, isCalibrationSetting } from './lib/candidate-calibration';
export { CV_DEFAULT_BELOW_ROWS, DEFAULT_CV_FOLDS } from './lib/cross-validation';
export type { CalibrationSetting } from './lib/candidate-calibration';
export { CANDIDATES, CANDIDATE_NAMES, createCandidate, isCandidateName, searchSpaceOf, tunableCandidates } from './lib/candidates';
export { tuneCandidate } from './lib/tune-candidate';
export { stackLabels, stackRows } from './lib/matrix-rows';
export type { HyperparameterSearch, Trial } from './lib/tune-candidate';
export type { Hyperparameters, HyperparameterValue, SearchSpace } from './lib/search-space';
export type { CandidateName } from './lib/candidates';
export { DEFAULT_COSTS, resolveCosts } from './lib/cost-table';
export { TooManyRejectedError } from './lib/too-many-rejected-error';
