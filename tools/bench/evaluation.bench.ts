import { spawnSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { averagePrecision, bootstrapIntervals, evaluateScores, permutationImportance } from '@purchase/evaluation';
import { type Matrix, rocAuc, SeededRandom } from '@purchase/core';
import { printTable, timeMs } from './table';
import { pythonWith } from './python-peer';

/**
 * libs/evaluation on model-sized outputs: the typed-array radix argsort beside a comparator argsort
 * (the obvious implementation) and a plain numeric sort of the values (a floor: it sorts no
 * indices); the metrics on 1M scores; bootstrap intervals and permutation importance; and
 * scikit-learn's roc_auc_score / average_precision_score on the same scores when python3-sklearn
 * is installed.
 */
const N = 1_000_000;

function scores(n: number, seed: number): { y: Uint8Array; p: Float32Array } {
  const rng = new SeededRandom(seed);
  const y = new Uint8Array(n);
  const p = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    y[i] = rng.nextInt(100) < 15 ? 1 : 0;
    const z = (rng.nextUint32() / 4294967296 - 0.5) * 6 + 2 * y[i] - 2;
    p[i] = 1 / (1 + Math.exp(-z));
  }
  return { y, p };
}

function comparatorArgsort(values: Float32Array): Uint32Array {
  const order = new Uint32Array(values.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  return order.sort((a, b) => values[b] - values[a] || a - b);
}

export async function run(): Promise<void> {
  console.log(`load average before: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (${os.cpus().length} CPUs)\n`);
  const { y, p } = scores(N, 1);

  // The radix argsort is internal to evaluation; what a caller sees of it is evaluateScores' one sort.
  const floor = await timeMs(() => Float32Array.from(p).sort(), 3);
  const comparator = await timeMs(() => comparatorArgsort(p), 1);
  const sorted = await timeMs(() => evaluateScores(y, p, 0.5), 3);
  console.log(`### sorting ${N.toLocaleString('en-US')} scores\n`);
  printTable([
    { method: 'Float32Array.sort, values only (floor)', ms: floor, ratio: 1 },
    { method: 'ours: evaluateScores (radix argsort + 13 metrics)', ms: sorted, ratio: sorted / floor },
    { method: 'comparator argsort (Uint32Array.sort(fn))', ms: comparator, ratio: comparator / floor },
  ]);

  const auc = await timeMs(() => rocAuc(y, p), 3);
  const ap = await timeMs(() => averagePrecision(y, p), 3);
  const all = await timeMs(() => evaluateScores(y, p, 0.5), 3);
  const rows: Record<string, string | number>[] = [
    { step: 'ours: rocAuc (validate + sort + sweep)', ms: auc, value: rocAuc(y, p).toFixed(12) },
    { step: 'ours: averagePrecision', ms: ap, value: averagePrecision(y, p).toFixed(12) },
    { step: 'ours: evaluateScores (all 13 metrics, one sort)', ms: all, value: '' },
  ];
  const peer = await sklearnPeer(y, p);
  if (peer) {
    rows.push({ step: `scikit-learn ${peer.version} roc_auc_score`, ms: peer.roc_auc_ms, value: peer.roc_auc.toFixed(12) });
    rows.push({ step: `scikit-learn ${peer.version} average_precision_score`, ms: peer.ap_ms, value: peer.ap.toFixed(12) });
    rows.push({ step: 'ours / scikit-learn, roc auc', ms: (auc / peer.roc_auc_ms).toFixed(2), value: '' });
  }
  console.log(`\n### metrics on ${N.toLocaleString('en-US')} float32 scores\n`);
  printTable(rows);
  if (!peer) console.log('\nscikit-learn peer skipped: no python3 with sklearn (apt-get install python3-sklearn).');

  console.log('\n### bootstrap intervals (ROC AUC and F1, 1,000 stratified resamples)\n');
  const boot: Record<string, string | number>[] = [];
  for (const n of [10_000, 100_000]) {
    const s = scores(n, 2);
    const ms = await timeMs(() => bootstrapIntervals(s.y, s.p, { threshold: 0.5, seed: 42 }), 1);
    const once = await timeMs(() => rocAuc(s.y, s.p), 3);
    boot.push({ rows: n, 'ms (1,000 resamples)': ms, 'ms per resample': ms / 1000, 'one rocAuc ms (re-sort)': once });
  }
  printTable(boot);

  console.log('\n### permutation importance (linear scorer, 8 columns, 5 repeats = 40 predict + AUC)\n');
  const rowsX = 100_000;
  const cols = 8;
  const rng = new SeededRandom(3);
  const X: Matrix = { data: Float32Array.from({ length: rowsX * cols }, () => rng.nextUint32() / 4294967296), rows: rowsX, cols };
  const yX = Uint8Array.from({ length: rowsX }, (_, r) => (X.data[r * cols] + 0.5 * X.data[r * cols + 1] > 0.8 ? 1 : 0));
  const model = {
    predictProba(m: Matrix): Float32Array {
      const out = new Float32Array(m.rows);
      for (let r = 0; r < m.rows; r++) {
        let z = -1;
        for (let c = 0; c < m.cols; c++) z += m.data[r * m.cols + c] * (c === 0 ? 3 : c === 1 ? 1.5 : 0.1);
        out[r] = 1 / (1 + Math.exp(-z));
      }
      return out;
    },
  };
  const predictMs = await timeMs(() => model.predictProba(X), 3);
  const permMs = await timeMs(() => permutationImportance(model, X, yX, { seed: 1, repeats: 5 }), 1);
  printTable([
    { step: 'one predictProba (100k x 8)', ms: predictMs, ratio: 1 },
    { step: 'permutationImportance (41 predictions)', ms: permMs, ratio: permMs / predictMs },
  ]);
}

interface PeerResult {
  version: string;
  roc_auc: number;
  roc_auc_ms: number;
  ap: number;
  ap_ms: number;
}

const PEER = `
import json, sys, time
import numpy as np, sklearn
from sklearn.metrics import roc_auc_score, average_precision_score
d = sys.argv[1]
y = np.fromfile(d + '/y.u8', dtype=np.uint8)
p = np.fromfile(d + '/p.f32', dtype='<f4').astype(np.float64)
def median_ms(f, k=3):
    f(); ts = []
    for _ in range(k):
        t = time.perf_counter(); f(); ts.append((time.perf_counter() - t) * 1000)
    return sorted(ts)[k // 2]
print(json.dumps({'version': sklearn.__version__,
  'roc_auc': roc_auc_score(y, p), 'roc_auc_ms': median_ms(lambda: roc_auc_score(y, p)),
  'ap': average_precision_score(y, p), 'ap_ms': median_ms(lambda: average_precision_score(y, p))}))
`;

async function sklearnPeer(y: Uint8Array, p: Float32Array): Promise<PeerResult | null> {
  const python = pythonWith(['sklearn']);
  if (!python) return null;
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-evaluation-'));
  try {
    await writeFile(path.join(dir, 'y.u8'), y);
    await writeFile(path.join(dir, 'p.f32'), new Uint8Array(p.buffer, p.byteOffset, p.byteLength));
    const res = spawnSync(python, ['-c', PEER, dir], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`scikit-learn peer failed: ${res.stderr}`);
    return JSON.parse(res.stdout) as PeerResult;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
