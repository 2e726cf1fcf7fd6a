// The public door of @purchase/core: what every layer needs once. The matrix type, the one seeded
// generator, the binary metrics below the models, the input checks (one verb, check*: matrices,
// labels, scores, options and hyperparameters, a fitted state), JSON guards, hashing, atomic writes
// and the temporary files behind them.
export type { Matrix } from './lib/matrix';
export { SeededRandom } from './lib/seeded-random';
export { medianInPlace } from './lib/median';
export { stratifiedFolds } from './lib/stratified-folds';
export { rocAuc } from './lib/roc-auc';
export { logLoss, LOG_LOSS_EPS } from './lib/log-loss';
export { checkBinaryInputs, checkProbabilities, countPositives, type Scores } from './lib/check-binary-inputs';
export { checkMatrix, checkColumnNames, type MatrixCheckOptions } from './lib/check-matrix';
export { checkLabels, checkBothClasses, checkHasPositive, type LabelCheckOptions } from './lib/check-labels';
export { checkNumber, checkChoice, checkBoolean, type NumberRule } from './lib/check-option';
export { checkHyperparameters } from './lib/check-hyperparameters';
export { NotFittedError, checkFitted } from './lib/not-fitted-error';
export { isObject, describeValue } from './lib/json-guards';
export { DocumentProblems } from './lib/document-problems';
export { sha256, sha256File } from './lib/sha256';
export { writeFileAtomic, writeDirAtomic, writeJsonAtomic, writeViaTemp, type FileContents } from './lib/atomic-write';
export { tempName, tempPrefix, removeStaleTemps, removeTrackedTemps, removedTempsLine, onSignalWhileTracking } from './lib/temp-files';
export type { RemovedTemp, TempName } from './lib/temp-files';
