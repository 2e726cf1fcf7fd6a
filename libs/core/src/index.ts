// The public door of @purchase/core: what every layer needs once. The matrix type, the one seeded
// generator, the binary metrics below the models, input checks of labels and scores, JSON guards,
// hashing, atomic writes and the temporary files behind them.
export type { Matrix } from './lib/matrix';
export { SeededRandom } from './lib/seeded-random';
export { medianInPlace } from './lib/median';
export { rocAuc } from './lib/roc-auc';
export { logLoss, LOG_LOSS_EPS } from './lib/log-loss';
export { validateBinaryInputs, validateProbabilities, countPositives, type Scores } from './lib/validate-binary-inputs';
export { isObject, describeValue } from './lib/json-guards';
export { sha256, sha256File } from './lib/sha256';
export { writeFileAtomic, writeDirAtomic, writeJsonAtomic, writeViaTemp, type FileContents } from './lib/atomic-write';
export { tempName, tempPrefix, removeStaleTemps, removeTrackedTemps, removedTempsLine, onSignalWhileTracking } from './lib/temp-files';
export type { RemovedTemp, TempName } from './lib/temp-files';
