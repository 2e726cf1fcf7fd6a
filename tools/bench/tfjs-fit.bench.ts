import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FeaturePipeline } from '@purchase/features';
import { DenseNet, initBackend, LogisticRegression } from '@purchase/models';
import { loadSpec, RowCoercer, type RawRecord } from '@purchase/preprocessing';
import { rocAuc, SeededRandom, type Matrix } from '@purchase/core';
import { sessionChunks } from '../generate-data/sessions';
import { printTable } from './table';
import { pythonWith } from './python-peer';

/**
 * Fit time of the tfjs models at scale, each beside its scikit-learn peer on the same data in the
 * same run (python3-sklearn, when installed; as it runs by default, and with its BLAS on one thread
 * like ours), wall and CPU seconds: LogisticRegression on 700k x 16 (the reference
 * pipeline's features of generated sessions, and a synthetic well-conditioned matrix), compared at
 * the penalised objective both reach (computed here, in float64, for both); and the dense net
 * 64-32 on a bank-marketing-like 45k x 60 matrix (7 standardised numbers, 53 one-hot columns),
 * compared on test ROC AUC (computed here for both).
 */
const LR_ROWS = 700_000;
const LR_C = 1;
const BANK_ROWS = 45_211;
const BANK_TRAIN_SHARE = 0.7;
/** The MLP configuration both sides share: scikit-learn's MLPClassifier defaults with early stopping. */
const MLP = { hiddenLayers: [64, 32], batchSize: 200, learningRate: 1e-3, maxEpochs: 200, patience: 10, validationShare: 0.1, alpha: 1e-4, seeds: [1, 2, 3] };
/** run-ts bundles this file into dist/run/, two levels below the workspace root. */
const ROOT = path.resolve(__dirname, '..', '..');

type Part = { X: Matrix; y: Uint8Array };

/** scikit-learn as installed (its BLAS may use every core), and on one thread like ours. */
const PEERS: { name: string; env: Record<string, string> }[] = [
  { name: 'scikit-learn', env: {} },
  { name: 'scikit-learn, 1 thread', env: { OMP_NUM_THREADS: '1', OPENBLAS_NUM_THREADS: '1', MKL_NUM_THREADS: '1' } },
];

type Row = Record<string, string | number>;

export async function run(): Promise<void> {
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
  await initBackend({ log: () => undefined });
  const python = pythonWith(['sklearn']);
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-tfjs-fit-'));
  try {
    console.log(`\n### logistic regression (C = ${LR_C}): ours (Newton, float64) beside scikit-learn lbfgs at its defaults\n`);
    const lrRows: Row[] = [];
    for (const [name, data] of [
      ['sessions, reference pipeline', await sessionFeatures(LR_ROWS, 5)],
      ['synthetic numeric + one-hot', syntheticLogistic(LR_ROWS, 16, 6)],
    ] as const) {
      lrRows.push(...(await compareLogistic(name, data, dir, python)));
    }
    printTable(lrRows);
    console.log(
      '\nobjective: mean log loss + ||w||^2 / (2 C n) in float64 on the same float32 matrix, for our (float32) and ' +
        "scikit-learn's coefficients; rel. diff = (ours - scikit-learn) / scikit-learn (negative: ours is lower). " +
        "On the sessions features scikit-learn's lbfgs stops on its ftol ~4e-6 above the optimum (one-hot blocks collinear with the intercept). " +
        "vs lbfgs tol 1e-12: the same difference against scikit-learn's lbfgs run to gtol 1e-12 (not timed); where it equals the first, " +
        "lbfgs ends at the same point however long it may run (its line search), above ours.",
    );

    console.log('\n### dense net 64-32 (ReLU, Adam, batch 200, lr 1e-3, early stopping on 10% of train, patience 10)\n');
    printTable(await compareDenseNet(dir, python));
    console.log(
      `\n${BANK_ROWS.toLocaleString('en-US')} bank-marketing-like rows (70% train, of which 10% validation; 30% test) x 60 columns; ` +
        `means over seeds ${MLP.seeds.join(', ')} (random_state on the scikit-learn side). Both: no dropout, L2 as scikit-learn's ` +
        'alpha = 1e-4 (ours l2 = alpha / (2 batch)); ours stops on validation loss, scikit-learn on validation accuracy. ' +
        "CPU s counts every thread (scikit-learn's BLAS may use both cores; ours runs its default threads, one at this size: a batch of 200 rows (1.2M multiply-adds) is too little work to share).",
    );
    if (python === null) console.log('\nscikit-learn peer skipped: no Python here imports sklearn (apt-get install python3-sklearn, or set PYTHON).');
  } finally {
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

async function compareLogistic(name: string, train: Part, dir: string, python: string | null): Promise<Row[]> {
  const model = new LogisticRegression({ C: LR_C });
  const t = performance.now();
  const cpu = process.cpuUsage();
  await model.fit(train.X, train.y);
  const ourCpu = cpuSeconds(process.cpuUsage(cpu));
  const seconds = (performance.now() - t) / 1000;
  const ours = Float64Array.from([...model.coefficients, model.intercept]);
  const training = model.describe().training ?? {};
  model.dispose();
  const row: Row = {
    data: name,
    rows: train.X.rows,
    cols: train.X.cols,
    'ours s': seconds,
    'ours CPU s': ourCpu,
    'ours iterations': `${training.iterations as number} (${training.solver as string})`,
  };
  if (python === null) return [row];
  await writeParts(dir, train);
  const oursObjective = penalisedObjective(train, ours, LR_C);
  // lbfgs run to a gradient tolerance far below its default's (not timed): where it ends when it is not stopped early.
  runPeer(python, dir, 'logreg', train, 0, { C: LR_C, solver: 'lbfgs', tol: 1e-12, max_iter: 100_000 }, PEERS[1].env);
  const optimum = penalisedObjective(train, new Float64Array((await readFile(path.join(dir, 'sklearn_coef.f64'))).buffer.slice(0)), LR_C);
  const rows: Row[] = [];
  for (const { name: peerName, env } of PEERS) {
    const peer = runPeer(python, dir, 'logreg', train, 0, { C: LR_C, solver: 'lbfgs' }, env);
    const theirs = new Float64Array((await readFile(path.join(dir, 'sklearn_coef.f64'))).buffer.slice(0));
    const theirObjective = penalisedObjective(train, theirs, LR_C);
    rows.push({
      ...row,
      peer: peerName,
      'peer s': peer.fit_seconds,
      'peer CPU s': peer.fit_cpu_seconds,
      'peer iterations': `${peer.iterations}${peer.converged ? '' : ' (not converged)'}`,
      'ours / peer': (seconds / peer.fit_seconds).toFixed(2),
      'CPU ours / peer': (ourCpu / peer.fit_cpu_seconds).toFixed(2),
      'objective rel. diff': ((oursObjective - theirObjective) / theirObjective).toExponential(1),
      'vs lbfgs tol 1e-12': ((oursObjective - optimum) / optimum).toExponential(1),
    });
  }
  return rows;
}

async function compareDenseNet(dir: string, python: string | null): Promise<Row[]> {
  const all = bankLike(BANK_ROWS, 9);
  const [train, test] = split(all, BANK_TRAIN_SHARE, 42);
  // scikit-learn holds out validation_fraction of what it is given; ours is given the same share apart.
  const [fitPart, validation] = split(train, 1 - MLP.validationShare, 43);
  if (python !== null) await writeParts(dir, train, test);
  const ours = { seconds: 0, cpuSeconds: 0, epochs: 0, auc: 0 };
  const peers = PEERS.map(() => ({ seconds: 0, cpuSeconds: 0, epochs: 0, auc: 0 }));
  // One seed's test AUC differs from another's by ~0.003 either way: the means over seeds compare.
  for (const seed of MLP.seeds) {
    const net = new DenseNet({
      hiddenLayers: MLP.hiddenLayers,
      dropout: 0,
      // scikit-learn adds alpha / 2 * ||W||^2 / batch to the batch's mean loss; Keras l2 adds l2 * ||W||^2.
      l2: MLP.alpha / (2 * MLP.batchSize),
      learningRate: MLP.learningRate,
      batchSize: MLP.batchSize,
      epochs: MLP.maxEpochs,
      patience: MLP.patience,
      seed,
    });
    const t = performance.now();
    const cpu = process.cpuUsage();
    await net.fit(fitPart.X, fitPart.y, { validation });
    ours.cpuSeconds += cpuSeconds(process.cpuUsage(cpu));
    ours.seconds += (performance.now() - t) / 1000;
    ours.epochs += net.describe().training?.epochs as number;
    ours.auc += rocAuc(test.y, net.predictProba(test.X));
    net.dispose();
    if (python === null) continue;
    for (const [k, { env }] of PEERS.entries()) {
      const params = {
        hidden_layer_sizes: MLP.hiddenLayers,
        activation: 'relu',
        solver: 'adam',
        alpha: MLP.alpha,
        batch_size: MLP.batchSize,
        learning_rate_init: MLP.learningRate,
        max_iter: MLP.maxEpochs,
        early_stopping: true,
        validation_fraction: MLP.validationShare,
        n_iter_no_change: MLP.patience,
        random_state: seed,
      };
      const peer = runPeer(python, dir, 'mlp', train, test.X.rows, params, env);
      peers[k].seconds += peer.fit_seconds;
      peers[k].cpuSeconds += peer.fit_cpu_seconds;
      peers[k].epochs += peer.iterations;
      peers[k].auc += rocAuc(test.y, new Float32Array((await readFile(path.join(dir, 'sklearn_test_p.f32'))).buffer.slice(0)));
    }
  }
  const n = MLP.seeds.length;
  const row: Row = {
    'ours s': ours.seconds / n,
    'ours CPU s': ours.cpuSeconds / n,
    'ours epochs': (ours.epochs / n).toFixed(1),
    'ours test AUC': (ours.auc / n).toFixed(4),
  };
  if (python === null) return [row];
  return PEERS.map(({ name }, k) => {
    const aucDiff = (ours.auc - peers[k].auc) / n;
    return {
      peer: name,
      ...row,
      'peer s': peers[k].seconds / n,
      'peer CPU s': peers[k].cpuSeconds / n,
      'peer epochs': (peers[k].epochs / n).toFixed(1),
      'peer test AUC': (peers[k].auc / n).toFixed(4),
      'ours / peer': (ours.seconds / peers[k].seconds).toFixed(2),
      'CPU ours / peer': (ours.cpuSeconds / peers[k].cpuSeconds).toFixed(2),
      'AUC diff': `${aucDiff >= 0 ? '+' : ''}${aucDiff.toFixed(4)}`,
    };
  });
}

function cpuSeconds(usage: NodeJS.CpuUsage): number {
  return (usage.user + usage.system) / 1e6;
}

/** mean log loss + ||w||^2 / (2 C n), float64 sums over the float32 matrix; theta = [w, b]. */
function penalisedObjective({ X, y }: Part, theta: Float64Array, C: number): number {
  const { data, rows, cols } = X;
  let loss = 0;
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    let z = theta[cols];
    for (let c = 0; c < cols; c++) z += data[o + c] * theta[c];
    loss += Math.max(z, 0) + Math.log1p(Math.exp(-Math.abs(z))) - y[r] * z;
  }
  let squares = 0;
  for (let c = 0; c < cols; c++) squares += theta[c] * theta[c];
  return loss / rows + squares / (2 * C * rows);
}

/** The reference pipeline's 16 model columns of `rows` generated sessions (fitted on those rows). */
async function sessionFeatures(rows: number, seed: number): Promise<Part> {
  const spec = await loadSpec(path.join(ROOT, 'data', 'specs', 'customer-sessions.json'));
  const records: RawRecord[] = [];
  const labels = new Uint8Array(rows);
  let coercer: RowCoercer | undefined;
  let carry = '';
  for (const chunk of sessionChunks({ rows, seed })) {
    const lines = (carry + chunk).split('\n');
    carry = lines.pop() as string;
    for (const line of lines) {
      // Generated sessions are never quoted: a plain split is the CSV reading.
      const cells = line.split(',');
      if (coercer === undefined) {
        coercer = RowCoercer.forHeader(spec, cells, 'generated');
        continue;
      }
      const row = coercer.coerce(cells);
      if (!row.ok) throw new Error(`generated session ${records.length + 1} was refused`);
      labels[records.length] = row.label as number;
      records.push(row.record);
    }
  }
  const X = FeaturePipeline.fit(spec, records).transform(records);
  return { X: { data: X.data, rows: X.rows, cols: X.cols }, y: labels.subarray(0, records.length) };
}

/**
 * Half standard-normal and skewed (standardised log-normal) numbers, the rest 0/1 indicators of two
 * categories (one level dropped, as a reference) and independent flags; y from a known logistic model.
 */
function syntheticLogistic(rows: number, cols: number, seed: number): Part {
  const rng = new SeededRandom(seed);
  const normal = gaussian(rng);
  const numeric = cols / 2;
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  const weights = Float64Array.from({ length: cols }, (_, c) => ((c % 5) - 2) * 0.4 + 0.1);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < numeric; c++) data[o + c] = c % 2 === 0 ? normal() : (Math.exp(0.6 * normal()) - 1.197) / 0.817;
    for (const [start, levels] of [[numeric, 4], [numeric + 3, 4]] as const) {
      const level = rng.nextInt(levels);
      if (level > 0) data[o + start + level - 1] = 1;
    }
    for (let c = numeric + 6; c < cols; c++) data[o + c] = rng.next() < 0.3 ? 1 : 0;
    let z = -1;
    for (let c = 0; c < cols; c++) z += weights[c] * data[o + c];
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { data, rows, cols }, y };
}

/** Categories of the bank-additional marketing data (10 columns, 53 levels) and its 7 numbers. */
const BANK_CATEGORIES = [12, 4, 8, 3, 3, 3, 2, 10, 5, 3];
const BANK_NUMBERS = 7;

/**
 * Bank-marketing-like rows: 7 standardised numbers (some skewed), then a full one-hot block per
 * category (level shares uneven); the label has linear, squared, interaction and category effects at
 * a ~12% positive rate, so a hidden layer has something to find.
 */
function bankLike(rows: number, seed: number): Part {
  const rng = new SeededRandom(seed);
  const normal = gaussian(rng);
  const cols = BANK_NUMBERS + BANK_CATEGORIES.reduce((s, n) => s + n, 0);
  const data = new Float32Array(rows * cols);
  const y = new Uint8Array(rows);
  const levelEffect = BANK_CATEGORIES.map((n, k) => Float64Array.from({ length: n }, (_, l) => Math.sin(3 * k + 1.7 * l) * (k === 9 ? 1.5 : 0.6)));
  const x = new Float64Array(BANK_NUMBERS);
  for (let r = 0, o = 0; r < rows; r++, o += cols) {
    for (let c = 0; c < BANK_NUMBERS; c++) {
      x[c] = c % 3 === 1 ? (Math.exp(0.8 * normal()) - 1.377) / 1.234 : normal();
      data[o + c] = x[c];
    }
    let z = -2.9 + 1.1 * x[1] - 0.5 * x[0] + 0.45 * x[1] * x[1] + 0.8 * x[0] * x[2] - (x[3] < -0.8 ? 1.2 : 0);
    let at = o + BANK_NUMBERS;
    BANK_CATEGORIES.forEach((levels, k) => {
      // A squared uniform: a few common levels, a tail of rare ones.
      const level = Math.min(levels - 1, Math.floor(levels * rng.next() ** 2));
      data[at + level] = 1;
      z += levelEffect[k][level];
      if (k === 7 && level < 3) z += 0.7 * x[2];
      at += levels;
    });
    y[r] = rng.next() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
  }
  return { X: { data, rows, cols }, y };
}

function gaussian(rng: SeededRandom): () => number {
  // Box-Muller; (0, 1] for the log.
  return () => Math.sqrt(-2 * Math.log(1 - rng.next())) * Math.cos(2 * Math.PI * rng.next());
}

/** A seeded shuffle, then the first `share` of rows and the rest. */
function split({ X, y }: Part, share: number, seed: number): [Part, Part] {
  const order = Uint32Array.from({ length: X.rows }, (_, i) => i);
  new SeededRandom(seed).shuffleInPlace(order);
  const take = (rows: Uint32Array): Part => {
    const data = new Float32Array(rows.length * X.cols);
    const labels = new Uint8Array(rows.length);
    rows.forEach((r, i) => {
      data.set(X.data.subarray(r * X.cols, (r + 1) * X.cols), i * X.cols);
      labels[i] = y[r];
    });
    return { X: { data, rows: rows.length, cols: X.cols }, y: labels };
  };
  const n = Math.round(X.rows * share);
  return [take(order.subarray(0, n)), take(order.subarray(n))];
}

async function writeParts(dir: string, train: Part, test?: Part): Promise<void> {
  const bytes = (a: Float32Array) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  await writeFile(path.join(dir, 'train_x.f32'), bytes(train.X.data));
  await writeFile(path.join(dir, 'train_y.u8'), train.y);
  await writeFile(path.join(dir, 'test_x.f32'), bytes(test?.X.data ?? new Float32Array(0)));
}

interface PeerResult {
  version: string;
  fit_seconds: number;
  fit_cpu_seconds: number;
  iterations: number;
  converged: boolean;
}

/** Fits scikit-learn on the files in `dir` in a fresh process; it prints one JSON line. */
function runPeer(python: string, dir: string, model: 'logreg' | 'mlp', train: Part, testRows: number, params: object, env: Record<string, string>): PeerResult {
  const script = path.join(ROOT, 'tools', 'bench', 'sklearn_peer.py');
  const args = [script, dir, model, String(train.X.rows), String(testRows), String(train.X.cols), JSON.stringify(params)];
  const res = spawnSync(python, args, { cwd: ROOT, encoding: 'utf8', env: { ...process.env, ...env } });
  if (res.status !== 0) throw new Error(`sklearn_peer.py ${model} failed: ${res.stderr}`);
  return JSON.parse(res.stdout.trim().split('\n').pop() as string) as PeerResult;
}
