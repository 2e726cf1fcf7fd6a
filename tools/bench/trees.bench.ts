import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { rocAuc, type Matrix } from '@purchase/core';
import { writeSessions } from './session-file';
import { Sampler } from '../generate-data/sampler';
import { printTable } from './table';
import { TREES_BENCH_PARAMS } from './trees-bench-params';
import { pythonWith } from './python-peer';

/**
 * Gradient-boosted trees on 1M generated sessions (70% train, 30% test), beside XGBoost's hist
 * method, same data and parameters, on one thread and on two, when python3-xgboost is installed.
 * The sessions are generated into a temporary CSV, encoded to numbers here, split, and written as
 * binary matrices that trees-fit-process.ts (ours) and xgboost_peer.py (XGBoost) each fit in a
 * fresh process, ours and theirs alternating; all test AUCs are computed here by the same function.
 * Prediction is timed on the 300k test rows: ours on one thread always, XGBoost's inplace_predict
 * on the fit's threads.
 */
const ROWS = 1_000_000;
/** run-ts bundles this file into dist/run/, two levels below the workspace root. */
const ROOT = path.resolve(__dirname, '..', '..');
const COLUMNS = ['time_spent', 'pages_viewed', 'basket_value', 'device_type', 'customer_type'];
const THREADS = [1, 2];

type Row = Record<string, string | number>;

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-trees-'));
  try {
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    const csv = path.join(dir, 'sessions.csv');
    await writeSessions(csv, ROWS, 7);
    const { X, y } = parseSessions(await readFile(csv, 'utf8'));
    const { train, test } = split(X, y, 0.7, 42);
    await writeBinary(dir, 'train', train);
    await writeBinary(dir, 'test', test);

    // Each learner fits in a fresh process on the same binary files, so neither pays for this
    // process's heap (the CSV text, the 1M-row matrix).
    const runTs = [path.join(ROOT, 'tools', 'run-ts.mjs'), path.join('tools', 'bench', 'trees-fit-process.ts')];
    const python = pythonWith(['xgboost']);
    const rows: Row[] = [];
    for (const threads of THREADS) {
      const ours = runPeer(process.execPath, runTs, dir, train, test, threads);
      const oursAuc = rocAuc(test.y, await readProbabilities(dir, 'ours_test_p.f32'));
      rows.push(resultRow('ours: GradientBoostedTrees', threads, ours, test.X.rows, oursAuc));
      if (python === null) continue;
      const peer = runPeer(python, [path.join(ROOT, 'tools', 'bench', 'xgboost_peer.py')], dir, train, test, threads);
      const theirAuc = rocAuc(test.y, await readProbabilities(dir, 'xgboost_test_p.f32'));
      rows.push(resultRow(`XGBoost ${peer.version} hist`, threads, peer, test.X.rows, theirAuc));
      rows.push({
        model: 'ours / XGBoost',
        threads,
        'train s': (ours.train_seconds / peer.train_seconds).toFixed(2),
        'train CPU s': (ours.train_cpu_seconds / peer.train_cpu_seconds).toFixed(2),
        'predict rows/s': (peer.predict_seconds / ours.predict_seconds).toFixed(2),
        'test ROC AUC': `${oursAuc - theirAuc >= 0 ? '+' : ''}${(oursAuc - theirAuc).toFixed(4)}`,
      });
    }
    printTable(rows);
    if (python === null) console.log('\nXGBoost peer skipped: no Python here imports xgboost (apt-get install python3-xgboost, or set PYTHON).');
    const p = TREES_BENCH_PARAMS;
    console.log(
      `\n${train.X.rows.toLocaleString('en-US')} training rows x ${X.cols} features (${COLUMNS.join(', ')}); ` +
        `${p.nEstimators} trees, depth ${p.maxDepth}, learning rate ${p.learningRate}, ${p.maxBins} bins, ` +
        'base score = training prior on both sides; each fit in its own process. Ratios above 1 favour XGBoost for time, ' +
        'ours for predict rows/s; ours predicts on one thread, XGBoost on the fit\'s threads.',
    );
  } finally {
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

function resultRow(model: string, threads: number, result: PeerResult, testRows: number, auc: number): Row {
  return {
    model,
    threads,
    'train s': result.train_seconds,
    'train CPU s': result.train_cpu_seconds,
    'predict rows/s': Math.round(testRows / result.predict_seconds),
    'test ROC AUC': auc.toFixed(4),
  };
}


/**
 * The numeric encoding both learners see: numbers as floats, device and customer type as codes
 * (Mobile 0, Desktop 1, Tablet 2; New 0, Returning 1), NaN for every empty cell. customer_id is a
 * row number, not a feature.
 */
function parseSessions(text: string): { X: Matrix; y: Uint8Array } {
  let rows = 0;
  for (let at = text.indexOf('\n'); at !== -1 && at + 1 < text.length; at = text.indexOf('\n', at + 1)) rows++;
  const cols = COLUMNS.length;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  const device: Record<string, number> = { Mobile: 0, Desktop: 1, Tablet: 2 };
  const customer: Record<string, number> = { New: 0, Returning: 1 };
  const num = (s: string) => (s === '' ? NaN : Number(s));
  // Line by line rather than text.split('\n'): a million live line strings would leave the
  // collector work to do during the timed fit.
  let start = text.indexOf('\n') + 1;
  for (let r = 0; r < rows; r++) {
    const end = text.indexOf('\n', start);
    const c = text.slice(start, end === -1 ? text.length : end).split(',');
    start = end + 1;
    const o = r * cols;
    data[o] = num(c[1]);
    data[o + 1] = num(c[2]);
    data[o + 2] = num(c[3]);
    data[o + 3] = c[4] === '' ? NaN : device[c[4]];
    data[o + 4] = c[5] === '' ? NaN : customer[c[5]];
    y[r] = c[6] === '1' ? 1 : 0;
  }
  return { X: { data, rows, cols }, y };
}

type Part = { X: Matrix; y: Uint8Array };

/** A seeded shuffle, then the first `share` of rows train and the rest test. */
function split(X: Matrix, y: Uint8Array, share: number, seed: number): { train: Part; test: Part } {
  const order = Uint32Array.from({ length: X.rows }, (_, i) => i);
  const rng = new Sampler(seed);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(rng.next() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const nTrain = Math.round(X.rows * share);
  const take = (rows: Uint32Array): Part => {
    const data = new Float32Array(rows.length * X.cols);
    const labels = new Uint8Array(rows.length);
    rows.forEach((r, i) => {
      data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols);
      labels[i] = y[r];
    });
    return { X: { data, rows: rows.length, cols: X.cols }, y: labels };
  };
  return { train: take(order.subarray(0, nTrain)), test: take(order.subarray(nTrain)) };
}

async function writeBinary(dir: string, name: string, part: Part): Promise<void> {
  await writeFile(path.join(dir, `${name}_x.f32`), new Uint8Array(part.X.data.buffer, part.X.data.byteOffset, part.X.data.byteLength));
  await writeFile(path.join(dir, `${name}_y.u8`), part.y);
}

interface PeerResult {
  version?: string;
  train_seconds: number;
  train_cpu_seconds: number;
  predict_seconds: number;
}

/** Runs one learner in a fresh process on the binary files in `dir`, on `threads` threads; it prints one JSON line. */
function runPeer(command: string, args: string[], dir: string, train: Part, test: Part, threads: number): PeerResult {
  const res = spawnSync(command, [...args, dir, String(train.X.rows), String(test.X.rows), String(train.X.cols), String(threads)], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  if (res.status !== 0) throw new Error(`${args.join(' ')} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as PeerResult;
}

async function readProbabilities(dir: string, name: string): Promise<Float32Array> {
  return new Float32Array((await readFile(path.join(dir, name))).buffer.slice(0));
}

