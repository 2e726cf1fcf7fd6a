import { DenseNet, initBackend, LogisticRegression, type BinaryClassifier, type TfBackendName } from '@purchase/models';
import { SeededRandom, type Matrix } from '@purchase/core';
import { printTable, timeMs } from './table';

const COLS = 12;
const FIT_ROWS = 10_000;
const DENSE_EPOCHS = 5;

/**
 * tfjs models: fit time and predict throughput (1 row, 1k, 100k rows) for logistic regression and
 * the default dense net (64-32) on the wasm and cpu backends, switched within this process.
 * Logistic regression fits by L-BFGS in plain float64 JS, so its fit time does not depend on the
 * backend; its predictions run through tfjs like the dense net's.
 */
export async function run(): Promise<void> {
  const train = numericData(FIT_ROWS, 1);
  const predictSets = [1, 1_000, 100_000].map((rows) => ({ rows, X: numericData(rows, 2).X }));
  const rows: Record<string, string | number>[] = [];
  for (const backend of ['wasm', 'cpu'] as TfBackendName[]) {
    await initBackend({ backend, log: () => undefined });
    const models: [string, BinaryClassifier][] = [
      ['logistic regression', new LogisticRegression()],
      [`dense net 64-32, ${DENSE_EPOCHS} epochs`, new DenseNet({ epochs: DENSE_EPOCHS })],
    ];
    for (const [name, model] of models) {
      const t = performance.now();
      await model.fit(train.X, train.y);
      const fitSeconds = (performance.now() - t) / 1000;
      const row: Record<string, string | number> = { backend, model: name, [`fit ${FIT_ROWS / 1000}k x ${COLS} (s)`]: fitSeconds };
      for (const { rows: n, X } of predictSets) {
        const ms = await timeMs(() => model.predictProba(X), n === 1 ? 201 : n === 1_000 ? 21 : 3);
        row[`predict ${label(n)} (ms)`] = ms;
        if (n > 1) row[`${label(n)}: rows/s`] = Math.round((n / ms) * 1000);
      }
      rows.push(row);
      model.dispose();
    }
  }
  printTable(rows);
  console.log(`\nfit: ${FIT_ROWS} rows; dense net batch 64, Adam; predict times are medians (1 row: 201 calls).`);
}

function label(rows: number): string {
  return rows >= 1000 ? `${rows / 1000}k rows` : `${rows} row`;
}

/** Gaussian columns and a label with linear, interaction and threshold effects (a numeric stand-in for sessions). */
function numericData(rows: number, seed: number): { X: Matrix; y: Uint8Array } {
  const rng = new SeededRandom(seed);
  // In (0, 1): the Box-Muller log needs a draw above 0.
  const uniform = () => (rng.nextUint32() + 0.5) / 4294967296;
  const data = new Float32Array(rows * COLS);
  const y = new Uint8Array(rows);
  for (let r = 0; r < rows; r++) {
    const row = data.subarray(r * COLS, (r + 1) * COLS);
    for (let c = 0; c < COLS; c++) row[c] = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    const logit = -1 + 0.8 * row[0] - 0.5 * row[1] + 1.5 * row[2] * row[3] - (row[4] < -0.5 ? 1.6 : 0);
    y[r] = uniform() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
  }
  return { X: { data, rows, cols: COLS }, y };
}
