import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rocAuc } from '@purchase/core';
import type { FeatureMatrix } from '@purchase/features';
import { applyCalibration, chooseCalibration, expectedCalibrationError } from '@purchase/models';
import { loadSpec, readDataset, type DatasetColumns, type DatasetSpec } from '@purchase/preprocessing';
import { createCandidate, DEFAULT_CV_FOLDS, splitAndTransform, stackLabels, stackRows, StepClock, tuneCandidate, type Hyperparameters } from '@purchase/training';
import { writeSessions } from './session-file';
import { printTable } from './table';
import { pythonWith } from './python-peer';

/**
 * The hyperparameter search of the boosted trees against XGBoost with early stopping, on the UCI
 * file and on generated sessions, split seeds 1 to 5. Per seed, the training's own 70/15/15
 * stratified split and feature pipeline (fitted on train) feed all three, which fit on train with
 * early stopping on validation and are scored on test:
 * - untuned gbdt: the candidate's defaults (createCandidate('gbdt', seed));
 * - tuned gbdt: tuneCandidate's random search (defaults + TRIALS configurations, each
 *   cross-validated on DEFAULT_CV_FOLDS stratified folds of train + validation, lowest out-of-fold
 *   log loss), then fitted with the chosen values as the untuned one is: what `npm run train --
 *   --models gbdt --tune TRIALS --cv 0` does;
 * - XGBoost: its defaults (hist, depth 6, eta 0.3) with early stopping on validation
 *   (xgboost_early_stopping_peer.py), skipped with a line saying so where no Python imports xgboost.
 * The test split is never seen by any choice. ECE: the tuned model's test probabilities before and
 * after the calibration chooseCalibration picks on validation. BENCH_TUNE_TRIALS, BENCH_SESSIONS override.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const SEEDS = [1, 2, 3, 4, 5];
const TRIALS = Number(process.env.BENCH_TUNE_TRIALS ?? 40);
const SESSIONS = Number(process.env.BENCH_SESSIONS ?? 20_000);

interface Dataset {
  name: string;
  spec: DatasetSpec;
  data: DatasetColumns;
  labels: Uint8Array;
}

type Part = { X: FeatureMatrix; y: Uint8Array };

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-tuning-'));
  try {
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    const python = pythonWith(['xgboost']);
    const sessionsCsv = path.join(dir, 'sessions.csv');
    await writeSessions(sessionsCsv, SESSIONS, 23);
    const datasets = [
      await dataset('UCI online shoppers', path.join(ROOT, 'data/external/online_shoppers_intention.csv'), path.join(ROOT, 'data/specs/online-shoppers.json')),
      await dataset(`generated sessions (${SESSIONS.toLocaleString('en-US')})`, sessionsCsv, path.join(ROOT, 'data/specs/customer-sessions.json')),
    ];
    const summary: Record<string, string | number>[] = [];
    for (const d of datasets) summary.push(await compare(d, dir, python));
    console.log('\n### mean test ROC AUC over split seeds 1-5\n');
    printTable(summary);
    if (python === null) console.log('\nXGBoost peer skipped: no Python here imports xgboost (apt-get install python3-xgboost, or set PYTHON).');
    console.log(
      `\nTuned: the defaults and ${TRIALS} random configurations of the gbdt search space, each ${DEFAULT_CV_FOLDS}-fold cross-validated on train + validation ` +
        '(lowest out-of-fold log loss), then fitted on train with early stopping on validation, as untuned and XGBoost are. ' +
        'XGBoost: defaults (hist, depth 6, eta 0.3), early stopping on validation log loss (30 rounds). Same split and features for all three; test only scored.',
    );
  } finally {
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

async function dataset(name: string, file: string, specFile: string): Promise<Dataset> {
  const spec = await loadSpec(specFile);
  const read = await readDataset(file, spec);
  return { name, spec, data: read.columns, labels: read.labels };
}

async function compare(d: Dataset, dir: string, python: string | null): Promise<Record<string, string | number>> {
  console.log(`\n### ${d.name}: ${d.labels.length.toLocaleString('en-US')} rows\n`);
  const rows: Record<string, string | number>[] = [];
  const auc = { untuned: [] as number[], tuned: [] as number[], xgboost: [] as number[] };
  const started = performance.now();
  for (const seed of SEEDS) {
    const { train, validation, test } = trainingSplits(d, seed);
    const featureNames = [...train.X.columnNames];
    const untuned = await fitAndScore(train, validation, test, seed, undefined, featureNames);
    const trainValidation = { X: stackRows(train.X, validation.X), y: stackLabels(train.y, validation.y) };
    const tuneStarted = performance.now();
    const { search } = await tuneCandidate('gbdt', trainValidation.X, trainValidation.y, { folds: DEFAULT_CV_FOLDS, repeats: 1 }, TRIALS, { seed, featureNames, onProgress: () => undefined });
    const tuneSeconds = (performance.now() - tuneStarted) / 1000;
    const chosen = search.trials[search.best].hyperparameters;
    const tuned = await fitAndScore(train, validation, test, seed, chosen, featureNames);
    const calibration = chooseCalibration(validation.y, tuned.validation, { seed });
    const calibrated = applyCalibration(calibration.map, tuned.test);
    auc.untuned.push(untuned.auc);
    auc.tuned.push(tuned.auc);
    const xgb = python === null ? null : await xgboost(python, dir, train, validation, test);
    if (xgb) auc.xgboost.push(xgb.auc);
    rows.push({
      seed,
      'untuned gbdt': untuned.auc.toFixed(4),
      'tuned gbdt': tuned.auc.toFixed(4),
      XGBoost: xgb ? xgb.auc.toFixed(4) : '-',
      'tuned - XGBoost': xgb ? signed(tuned.auc - xgb.auc) : '-',
      'trees (untuned / tuned / XGBoost)': `${untuned.trees} / ${tuned.trees} / ${xgb ? xgb.trees : '-'}`,
      'chosen (trial: depth, lr, mcw, lambda, subsample, colsample)': search.best === 0 ? 'defaults' : `${search.best}: ${Object.values(chosen).join(', ')}`,
      'search s': tuneSeconds.toFixed(0),
      'tuned ECE raw -> calibrated': `${expectedCalibrationError(test.y, tuned.test).toFixed(4)} -> ${expectedCalibrationError(test.y, calibrated).toFixed(4)} (${calibration.map.method})`,
    });
  }
  printTable(rows);
  console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s for ${SEEDS.length} seeds`);
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  const xgbMean = auc.xgboost.length === SEEDS.length ? mean(auc.xgboost) : NaN;
  return {
    dataset: d.name,
    'untuned gbdt': mean(auc.untuned).toFixed(4),
    'tuned gbdt': mean(auc.tuned).toFixed(4),
    XGBoost: Number.isNaN(xgbMean) ? '-' : xgbMean.toFixed(4),
    'tuned - untuned': signed(mean(auc.tuned) - mean(auc.untuned)),
    'tuned - XGBoost': Number.isNaN(xgbMean) ? '-' : signed(mean(auc.tuned) - xgbMean),
  };
}

/** The split and features a training with this seed uses (its own splitAndTransform): 70/15/15 stratified, pipeline fitted on train. */
function trainingSplits(d: Dataset, seed: number): { train: Part; validation: Part; test: Part } {
  const { X, y } = splitAndTransform(d.spec, d.data, d.labels, seed, new StepClock(() => undefined));
  return { train: { X: X.train, y: y.train }, validation: { X: X.validation, y: y.validation }, test: { X: X.test, y: y.test } };
}

/** Fits gbdt (with `tuned` values, else its defaults) on train, early stopping on validation; its raw probabilities on validation and test. */
async function fitAndScore(train: Part, validation: Part, test: Part, seed: number, tuned: Hyperparameters | undefined, featureNames: string[]) {
  const model = createCandidate('gbdt', seed, undefined, tuned);
  try {
    await model.fit(train.X, train.y, { validation, featureNames });
    const p = model.predictProba(test.X);
    const trees = model.describe().training?.trees;
    return { auc: rocAuc(test.y, p), test: p, validation: model.predictProba(validation.X), trees: typeof trees === 'number' ? trees : NaN };
  } finally {
    model.dispose();
  }
}

async function xgboost(python: string, dir: string, train: Part, validation: Part, test: Part): Promise<{ auc: number; trees: number }> {
  for (const [name, part] of [['train', train], ['validation', validation], ['test', test]] as const) {
    await writeFile(path.join(dir, `${name}_x.f32`), new Uint8Array(part.X.data.buffer, part.X.data.byteOffset, part.X.data.byteLength));
    await writeFile(path.join(dir, `${name}_y.u8`), part.y);
  }
  const script = path.join(ROOT, 'tools', 'bench', 'xgboost_early_stopping_peer.py');
  const res = spawnSync(python, [script, dir, String(train.X.rows), String(validation.X.rows), String(test.X.rows), String(train.X.cols)], { cwd: ROOT, encoding: 'utf8' });
  if (res.status !== 0) throw new Error(`${script} failed: ${res.stderr}`);
  const out = JSON.parse(res.stdout.trim().split('\n').pop() as string) as { trees: number };
  const p = new Float32Array((await readFile(path.join(dir, 'xgboost_test_p.f32'))).buffer.slice(0));
  return { auc: rocAuc(test.y, p), trees: out.trees };
}

function signed(x: number): string {
  return `${x >= 0 ? '+' : ''}${x.toFixed(4)}`;
}

