import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeSessions } from './session-file';
import { printTable } from './table';
import { pythonWith } from './python-peer';

/**
 * The whole training run, end to end, beside the Python pipeline a data team would write for the
 * same job (python_pipeline_peer.py: pandas, scikit-learn, XGBoost), on the same generated file:
 * `npm run train -- --models gbdt,lr` (default resamples) and the peer, each a fresh process, run
 * alternately BENCH_RUNS times (default 3) so that both see the same load. Per run: wall seconds,
 * the process's peak RSS and the test ROC AUC of each model; then the ratios, ours / peer.
 * BENCH_10M=1 adds one run of each on 10M sessions. XGBoost uses every core, as a data team would
 * run it, and ours fits its trees on every core too; PEER_THREADS=1 pins XGBoost to one. The peer is skipped, with a line saying so, where
 * /usr/bin/python3 (or $PYTHON) cannot import pandas, sklearn and xgboost.
 */
const ROOT = path.resolve(__dirname, '..', '..');
const TIME = '/usr/bin/time';

interface RunResult {
  wallSeconds: number;
  peakRssMb: number;
  auc: { trees: number; lr: number };
  /** Our CLI's table of where the time went; the peer's seconds per step. */
  steps: string;
}

export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-training-run-'));
  try {
    console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)`);
    const runs = Number(process.env.BENCH_RUNS ?? 3);
    const python = pythonWith(['pandas', 'sklearn', 'xgboost']);
    await compare(dir, 1_000_000, runs, python);
    if (process.env.BENCH_10M === '1') await compare(dir, 10_000_000, 1, python);
    else console.log('\n10M sessions: set BENCH_10M=1 (10 to 20 more minutes on 2 cores).');
    if (python === null) {
      console.log('\nPython peer skipped: no Python here imports pandas, sklearn and xgboost (apt-get install python3-pandas python3-sklearn python3-xgboost, or set PYTHON).');
    }
  } finally {
    console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
    await rm(dir, { recursive: true, force: true });
  }
}

async function compare(dir: string, rows: number, runs: number, python: string | null): Promise<void> {
  const csv = path.join(dir, `sessions-${rows}.csv`);
  const started = performance.now();
  await writeSessions(csv, rows, 19);
  console.log(`\n### ${rows.toLocaleString('en-US')} sessions (generated in ${((performance.now() - started) / 1000).toFixed(1)} s)\n`);
  const table: Record<string, string | number>[] = [];
  const ratios: { wall: number; rss: number }[] = [];
  let lastSteps: { ours?: string; peer?: string } = {};
  for (let r = 1; r <= runs; r++) {
    const ours = await runOurs(dir, csv);
    table.push(row(`${r}`, 'ours: npm run train -- --models gbdt,lr', ours));
    lastSteps = { ours: ours.steps };
    if (python === null) continue;
    const peer = runPeer(python, csv);
    table.push(row(`${r}`, 'Python: pandas + scikit-learn + XGBoost', peer));
    lastSteps.peer = peer.steps;
    ratios.push({ wall: ours.wallSeconds / peer.wallSeconds, rss: ours.peakRssMb / peer.peakRssMb });
    table.push({ run: `${r}`, pipeline: 'ours / Python', 'wall s': ratios[r - 1].wall.toFixed(2), 'peak RSS MB': ratios[r - 1].rss.toFixed(2), 'trees test AUC': '', 'lr test AUC': '' });
  }
  if (ratios.length > 1) {
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
    table.push({
      run: 'median',
      pipeline: 'ours / Python',
      'wall s': median(ratios.map((x) => x.wall)).toFixed(2),
      'peak RSS MB': median(ratios.map((x) => x.rss)).toFixed(2),
      'trees test AUC': '',
      'lr test AUC': '',
    });
  }
  printTable(table);
  console.log(
    '\nOurs: gbdt (up to 150 trees at learning rate 0.1, depth 4, early stopping, on every core) and tfjs logistic regression (Newton); calibration, bootstrap, permutation importance, report and bundle included.',
  );
  console.log(`Python: XGBoost hist (100 trees, depth 4, early stopping, ${process.env.PEER_THREADS ? `${process.env.PEER_THREADS} thread(s)` : 'all cores'}) and LogisticRegression lbfgs; no bootstrap, importance or report. Wall = the whole process, interpreter or Node start-up included.`);
  if (lastSteps.ours) console.log(`\nwhere our last run's time went:\n${lastSteps.ours}`);
  if (lastSteps.peer) console.log(`\nthe peer's last run, seconds per step: ${lastSteps.peer}`);
}

function row(run: string, pipeline: string, r: RunResult): Record<string, string | number> {
  return { run, pipeline, 'wall s': r.wallSeconds.toFixed(1), 'peak RSS MB': Math.round(r.peakRssMb), 'trees test AUC': r.auc.trees.toFixed(4), 'lr test AUC': r.auc.lr.toFixed(4) };
}


/**
 * Runs a command in a fresh process, under /usr/bin/time when it is there (its peak RSS then), and
 * returns the wall seconds measured here, its output and its peak RSS in MB (null without time).
 */
function timed(command: string, args: string[]): { wallSeconds: number; stdout: string; peakRssMb: number | null } {
  const useTime = existsSync(TIME);
  const started = performance.now();
  const res = useTime
    ? spawnSync(TIME, ['-f', 'BENCH_MAX_RSS_KB %M', command, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 })
    : spawnSync(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 1 << 28 });
  const wallSeconds = (performance.now() - started) / 1000;
  if (res.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (${res.status}): ${res.stderr.slice(-2000)}`);
  const kb = /BENCH_MAX_RSS_KB (\d+)/.exec(res.stderr);
  return { wallSeconds, stdout: res.stdout, peakRssMb: kb ? Number(kb[1]) / 1024 : null };
}

async function runOurs(dir: string, csv: string): Promise<RunResult> {
  const out = path.join(dir, 'models');
  const res = timed(process.execPath, [path.join(ROOT, 'tools', 'run-ts.mjs'), 'apps/train/src/main.ts', '--data', csv, '--models', 'gbdt,lr', '--out', out]);
  // Without /usr/bin/time, the CLI's own last line: the peak RSS of its process (process.resourceUsage).
  const own = /peak memory \(max RSS\): (\d+) MB/.exec(res.stdout);
  const metrics = JSON.parse(await readFile(path.join(out, 'current', 'metrics.json'), 'utf8')) as {
    models: Record<'gbdt' | 'lr', { test: { rocAuc: number } }>;
  };
  const table = res.stdout.slice(res.stdout.indexOf('| step'));
  return {
    wallSeconds: res.wallSeconds,
    peakRssMb: res.peakRssMb ?? Number(own?.[1] ?? NaN),
    auc: { trees: metrics.models.gbdt.test.rocAuc, lr: metrics.models.lr.test.rocAuc },
    steps: table,
  };
}

interface PeerOutput {
  seconds: Record<string, number>;
  test_auc: { xgboost: number; lr: number };
  max_rss_mb: number;
}

function runPeer(python: string, csv: string): RunResult {
  const res = timed(python, [path.join(ROOT, 'tools', 'bench', 'python_pipeline_peer.py'), csv, '42', ...(process.env.PEER_THREADS ? [process.env.PEER_THREADS] : [])]);
  const peer = JSON.parse(res.stdout.trim().split('\n').pop() as string) as PeerOutput;
  return {
    wallSeconds: res.wallSeconds,
    peakRssMb: res.peakRssMb ?? peer.max_rss_mb,
    auc: { trees: peer.test_auc.xgboost, lr: peer.test_auc.lr },
    steps: Object.entries(peer.seconds)
      .map(([step, s]) => `${step} ${s.toFixed(2)}`)
      .join(', '),
  };
}

