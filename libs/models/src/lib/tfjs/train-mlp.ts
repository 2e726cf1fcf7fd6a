import type { SeededRandom } from '@purchase/core';
import type { Matrix } from '../model';

/**
 * Minibatch Adam training of a ReLU multilayer perceptron with one sigmoid output, written out over
 * Float64Arrays: forward pass, backpropagation and the Adam update of each batch, with the semantics
 * of the tfjs loop it replaces (inverted dropout after each hidden layer, Keras L2 on every kernel,
 * tfjs's Adam with epsilon 1e-7, mean class-weighted log loss per batch, early stopping on the
 * validation loss keeping the best epoch's weights).
 *
 * Why not tfjs: a step of a 64-32 net on 200 rows is a few million multiply-adds, small enough
 * that tfjs's cost per op (tens of kernels per step, each with its own bookkeeping, tens of µs
 * here) was most of the time: 64-32 on 28k x 60 took ~0.5 s of CPU an epoch on the wasm backend
 * even with hand-written gradients and one applyGradients per step, against ~0.15 s here. (Sending
 * only the five matrix products per batch to tf.matMul and keeping the rest here saved ~10% of CPU,
 * not enough for float32 results that depend on the backend.) Here the first layer visits only
 * the non-zero inputs (most of a one-hot row is zeros), and the gradient passed below a hidden
 * layer is computed for its active units only. The weights then go into the tfjs layers network,
 * which predicts and saves them.
 */

/** Kernels and biases of each dense layer, input side first; kernel l is [sizes[l], sizes[l + 1]] row-major, as tfjs holds it. */
export interface MlpWeights {
  sizes: number[];
  kernels: Float64Array[];
  biases: Float64Array[];
}

export interface MlpTrainingOptions {
  dropout: number;
  l2: number;
  learningRate: number;
  batchSize: number;
  epochs: number;
  patience: number;
  /** Loss weight of class 0 and class 1; undefined: unweighted. */
  classWeights?: [number, number];
  /** Shuffling and dropout masks draw from it. */
  rng: SeededRandom;
  validation?: { X: Matrix; y: Uint8Array };
  onEpoch?: (epoch: number, trainLoss: number, validationLoss: number | undefined) => void;
}

export interface MlpTrainingResult {
  epochs: number;
  stoppedEarly: boolean;
  /** Mean training loss of the last epoch (penalties included), as tfjs's fit reports it. */
  trainLoss: number;
  /** With validation data: the epoch whose weights were kept, and its validation loss. */
  best?: { epoch: number; loss: number };
}

const BETA1 = 0.9;
const BETA2 = 0.999;
const EPSILON = 1e-7;
/** Above this share of non-zero cells the matrix is read as it is rather than as a list of non-zeros. */
const SPARSE_DENSITY = 0.5;

/**
 * Trains `weights` in place on (X, y); on return they are the last epoch's, or the best epoch's with
 * validation data. Yields to the event loop after each epoch, so that signals and timers are served
 * during a long fit.
 */
export async function trainMlpInPlace(weights: MlpWeights, X: Matrix, y: Uint8Array, options: MlpTrainingOptions): Promise<MlpTrainingResult> {
  const { kernels, biases } = weights;
  const { batchSize, rng, validation, l2, classWeights } = options;
  const dropout = options.dropout > 0 ? { rng, keep: 1 - options.dropout } : undefined;
  const capacity = Math.min(batchSize, Math.max(X.rows, validation?.y.length ?? 0));
  const input = new BatchInput(X, capacity);
  const network = new BatchNetwork(weights, capacity);
  const gradK = kernels.map((k) => new Float64Array(k.length));
  const gradB = biases.map((b) => new Float64Array(b.length));
  const adam = new Adam([...kernels, ...biases], options.learningRate);
  const order = Int32Array.from({ length: X.rows }, (_, i) => i);
  const validationInput = validation && new BatchInput(validation.X, capacity);
  let best: { epoch: number; loss: number; kernels: Float64Array[]; biases: Float64Array[] } | undefined;
  let epochs = 0;
  let trainLoss = NaN;
  let stoppedEarly = false;

  for (let epoch = 1; epoch <= options.epochs; epoch++) {
    rng.shuffleInPlace(order);
    let lossSum = 0;
    for (let start = 0; start < X.rows; start += batchSize) {
      const rows = order.subarray(start, Math.min(X.rows, start + batchSize));
      const n = rows.length;
      const z = network.forward(input, rows, dropout);
      const dz = network.outputDelta;
      let batchLoss = 0;
      for (let k = 0; k < n; k++) {
        const label = y[rows[k]];
        const weight = classWeights ? classWeights[label] : 1;
        batchLoss += weight * logLossOfLogit(z[k], label);
        dz[k] = (weight * (sigmoid(z[k]) - label)) / n;
      }
      for (const g of gradK) g.fill(0);
      for (const g of gradB) g.fill(0);
      network.backward(input, rows, gradK, gradB, dropout && 1 / dropout.keep);
      let squares = 0;
      if (l2 > 0) {
        for (let l = 0; l < kernels.length; l++) {
          const k = kernels[l];
          const g = gradK[l];
          for (let i = 0; i < k.length; i++) {
            squares += k[i] * k[i];
            g[i] += 2 * l2 * k[i];
          }
        }
      }
      lossSum += batchLoss + l2 * squares * n;
      adam.step([...gradK, ...gradB]);
    }
    trainLoss = lossSum / X.rows;
    epochs = epoch;
    if (!Number.isFinite(trainLoss)) {
      throw new Error(`DenseNet training diverged at epoch ${epoch} (loss ${trainLoss}); lower learningRate`);
    }
    const validationLoss = validation && network.meanLogLoss(validationInput as BatchInput, validation.y);
    options.onEpoch?.(epoch, trainLoss, validationLoss);
    await new Promise((resolve) => setImmediate(resolve));
    if (validationLoss === undefined) continue;
    if (best === undefined || validationLoss < best.loss) {
      best = { epoch, loss: validationLoss, kernels: kernels.map((k) => Float64Array.from(k)), biases: biases.map((b) => Float64Array.from(b)) };
    } else if (epoch - best.epoch >= options.patience) {
      stoppedEarly = true;
      break;
    }
  }
  if (best !== undefined) {
    best.kernels.forEach((k, l) => kernels[l].set(k));
    best.biases.forEach((b, l) => biases[l].set(b));
  }
  return { epochs, stoppedEarly, trainLoss, ...(best && { best: { epoch: best.epoch, loss: best.loss } }) };
}

/**
 * The matrix X as the first layer reads it, a batch of rows at a time. Dense, the batch's rows are
 * copied out and multiplied by gemm; mostly zeros (one-hot blocks), only the non-zeros are visited:
 * forward per row, backward per column of the batch (its non-zeros regrouped by column), both with
 * eight output units summed in locals.
 */
class BatchInput {
  private readonly cols: number;
  private readonly data: Float32Array;
  /** Non-zeros of row r: columns[starts[r] .. starts[r + 1]) with their values; absent when dense. */
  private readonly sparse?: { starts: Int32Array; columns: Int32Array; values: Float64Array };
  /** Dense: the batch's rows in float64. Sparse: its non-zeros grouped by column (row in batch, value). */
  private readonly batch: Float64Array;
  private readonly byColumn?: { starts: Int32Array; rows: Int32Array; values: Float64Array };

  constructor(X: Matrix, capacity: number) {
    const { data, rows, cols } = X;
    this.cols = cols;
    this.data = data;
    let nonZeros = 0;
    for (let i = 0; i < data.length; i++) if (data[i] !== 0) nonZeros++;
    if (nonZeros > SPARSE_DENSITY * data.length) {
      this.batch = new Float64Array(capacity * cols);
      return;
    }
    const starts = new Int32Array(rows + 1);
    const columns = new Int32Array(nonZeros);
    const values = new Float64Array(nonZeros);
    let at = 0;
    let widest = 0;
    for (let r = 0; r < rows; r++) {
      starts[r] = at;
      for (let c = 0, o = r * cols; c < cols; c++) {
        const v = data[o + c];
        if (v !== 0) {
          columns[at] = c;
          values[at++] = v;
        }
      }
      widest = Math.max(widest, at - starts[r]);
    }
    starts[rows] = at;
    this.sparse = { starts, columns, values };
    this.batch = new Float64Array(0);
    this.byColumn = { starts: new Int32Array(cols + 1), rows: new Int32Array(capacity * widest), values: new Float64Array(capacity * widest) };
  }

  /** a[k, :] += X[rows[k], :] K (K is cols x units, a is batch x units). */
  addTimesKernel(a: Float64Array, rows: Int32Array, K: Float64Array, units: number): void {
    const { sparse } = this;
    if (sparse === undefined) {
      this.gather(rows);
      gemm(a, rows.length, units, this.batch, this.cols, 1, K, units, 1, this.cols);
      return;
    }
    const { starts, columns, values } = sparse;
    const u8 = units - (units % 8);
    for (let k = 0; k < rows.length; k++) {
      const from = starts[rows[k]];
      const to = starts[rows[k] + 1];
      const at = k * units;
      for (let u = 0; u < u8; u += 8) {
        let s0 = a[at + u], s1 = a[at + u + 1], s2 = a[at + u + 2], s3 = a[at + u + 3];
        let s4 = a[at + u + 4], s5 = a[at + u + 5], s6 = a[at + u + 6], s7 = a[at + u + 7];
        for (let p = from; p < to; p++) {
          const v = values[p];
          const b = columns[p] * units + u;
          s0 += v * K[b]; s1 += v * K[b + 1]; s2 += v * K[b + 2]; s3 += v * K[b + 3];
          s4 += v * K[b + 4]; s5 += v * K[b + 5]; s6 += v * K[b + 6]; s7 += v * K[b + 7];
        }
        a[at + u] = s0; a[at + u + 1] = s1; a[at + u + 2] = s2; a[at + u + 3] = s3;
        a[at + u + 4] = s4; a[at + u + 5] = s5; a[at + u + 6] = s6; a[at + u + 7] = s7;
      }
      for (let u = u8; u < units; u++) {
        let s = a[at + u];
        for (let p = from; p < to; p++) s += values[p] * K[columns[p] * units + u];
        a[at + u] = s;
      }
    }
  }

  /** G += X[rows, :]^T d (G is cols x units, d is batch x units). */
  addTransposedTimes(G: Float64Array, rows: Int32Array, d: Float64Array, units: number): void {
    const { sparse, byColumn } = this;
    if (sparse === undefined || byColumn === undefined) {
      this.gather(rows); // the forward pass gathered the same rows: cheap next to the product
      gemm(G, this.cols, units, this.batch, 1, this.cols, d, units, 1, rows.length);
      return;
    }
    this.groupByColumn(rows);
    const { starts, rows: entryRows, values } = byColumn;
    const u8 = units - (units % 8);
    for (let c = 0; c < this.cols; c++) {
      const from = starts[c];
      const to = starts[c + 1];
      if (from === to) continue;
      const at = c * units;
      for (let u = 0; u < u8; u += 8) {
        let s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        for (let e = from; e < to; e++) {
          const v = values[e];
          const b = entryRows[e] * units + u;
          s0 += v * d[b]; s1 += v * d[b + 1]; s2 += v * d[b + 2]; s3 += v * d[b + 3];
          s4 += v * d[b + 4]; s5 += v * d[b + 5]; s6 += v * d[b + 6]; s7 += v * d[b + 7];
        }
        G[at + u] += s0; G[at + u + 1] += s1; G[at + u + 2] += s2; G[at + u + 3] += s3;
        G[at + u + 4] += s4; G[at + u + 5] += s5; G[at + u + 6] += s6; G[at + u + 7] += s7;
      }
      for (let u = u8; u < units; u++) {
        let s = 0;
        for (let e = from; e < to; e++) s += values[e] * d[entryRows[e] * units + u];
        G[at + u] += s;
      }
    }
  }

  private gather(rows: Int32Array): void {
    const { cols, data, batch } = this;
    for (let k = 0; k < rows.length; k++) for (let c = 0, o = rows[k] * cols; c < cols; c++) batch[k * cols + c] = data[o + c];
  }

  /** The batch's non-zeros by column (a counting sort): column c's are [starts[c], starts[c + 1]). */
  private groupByColumn(rows: Int32Array): void {
    const { starts: rowStarts, columns, values } = this.sparse as NonNullable<BatchInput['sparse']>;
    const { starts, rows: entryRows, values: entryValues } = this.byColumn as NonNullable<BatchInput['byColumn']>;
    starts.fill(0);
    for (let k = 0; k < rows.length; k++) for (let p = rowStarts[rows[k]]; p < rowStarts[rows[k] + 1]; p++) starts[columns[p] + 1]++;
    for (let c = 0; c < this.cols; c++) starts[c + 1] += starts[c];
    for (let k = 0; k < rows.length; k++) {
      for (let p = rowStarts[rows[k]]; p < rowStarts[rows[k] + 1]; p++) {
        const e = starts[columns[p]]++;
        entryRows[e] = k;
        entryValues[e] = values[p];
      }
    }
    // The fill advanced each start to the next column's: shift back.
    for (let c = this.cols; c > 0; c--) starts[c] = starts[c - 1];
    starts[0] = 0;
  }
}

/**
 * Forward and backward passes over a batch of rows, as matrices: activations[l] is batch x sizes[l]
 * (row-major; [0] unused: the first layer reads the input rows directly, skipping their zeros).
 */
class BatchNetwork {
  private readonly activations: Float64Array[];
  private readonly deltas: Float64Array[];
  private readonly sizes: number[];
  private readonly kernels: Float64Array[];
  private readonly biases: Float64Array[];
  /** Scratch: indices of a row's active units. */
  private readonly active: Int32Array;
  /** dLoss/dlogit per row of the batch: the caller fills it between forward and backward. */
  readonly outputDelta: Float64Array;

  constructor(weights: MlpWeights, capacity: number) {
    ({ sizes: this.sizes, kernels: this.kernels, biases: this.biases } = weights);
    this.activations = this.sizes.map((units) => new Float64Array(capacity * units));
    this.deltas = this.sizes.map((units) => new Float64Array(capacity * units));
    this.outputDelta = this.deltas[this.sizes.length - 1];
    this.active = new Int32Array(Math.max(...this.sizes));
  }

  /** The logits of `rows` (the first rows.length values of the returned buffer, reused by the next call). */
  forward(input: BatchInput, rows: Int32Array, dropout?: { rng: SeededRandom; keep: number }): Float64Array {
    const { sizes, kernels, biases, activations } = this;
    const n = rows.length;
    const last = kernels.length - 1;
    for (let l = 0; l <= last; l++) {
      const inputs = sizes[l];
      const units = sizes[l + 1];
      const a = activations[l + 1];
      for (let k = 0; k < n; k++) a.set(biases[l], k * units);
      if (l === 0) input.addTimesKernel(a, rows, kernels[0], units);
      else gemm(a, n, units, activations[l], inputs, 1, kernels[l], units, 1, inputs);
      if (l === last) break;
      // ReLU (and dropout). `+(v > 0)` is branch-free; a branch here mispredicts on half the units.
      const size = n * units;
      if (dropout === undefined) {
        for (let i = 0; i < size; i++) a[i] *= +(a[i] > 0);
      } else {
        const { rng, keep } = dropout;
        for (let i = 0; i < size; i++) a[i] *= +(a[i] > 0) * (+(rng.next() < keep) / keep);
      }
    }
    return activations[last + 1];
  }

  /**
   * Adds the batch's gradients to gradK/gradB, from outputDelta and the activations of the forward
   * pass just run. `dropoutScale`: 1 / keep when that pass dropped units.
   */
  backward(input: BatchInput, rows: Int32Array, gradK: Float64Array[], gradB: Float64Array[], dropoutScale = 1): void {
    const { sizes, kernels, activations, deltas } = this;
    const n = rows.length;
    for (let l = kernels.length - 1; l >= 0; l--) {
      const inputs = sizes[l];
      const units = sizes[l + 1];
      const d = deltas[l + 1];
      const gb = gradB[l];
      for (let k = 0, o = 0; k < n; k++, o += units) for (let u = 0; u < units; u++) gb[u] += d[o + u];
      if (l === 0) {
        input.addTransposedTimes(gradK[0], rows, d, units);
        break;
      }
      const h = activations[l];
      gemm(gradK[l], inputs, units, h, 1, inputs, d, units, 1, n); // += h^T d
      // below = (d K^T) where the unit below was active, times the dropout scale (its output was
      // relu(a) * scale); a unit whose output was 0 (inactive ReLU, or dropped) passes no gradient.
      // Only the active units' dot products are computed: about half of them.
      const below = deltas[l];
      const K = kernels[l];
      const active = this.active;
      below.fill(0, 0, n * inputs);
      for (let k = 0; k < n; k++) {
        const hAt = k * inputs;
        let count = 0;
        for (let i = 0; i < inputs; i++) {
          active[count] = i;
          count += +(h[hAt + i] > 0); // a branch-free compaction: a branch would mispredict half the time
        }
        for (let a = 0; a < count; a++) {
          const i = active[a];
          below[hAt + i] = dot(d, k * units, K, i * units, units) * dropoutScale;
        }
      }
    }
  }

  /** Unweighted mean log loss over all rows of `input`, without dropout. */
  meanLogLoss(input: BatchInput, y: Uint8Array): number {
    const capacity = this.outputDelta.length;
    const all = Int32Array.from({ length: y.length }, (_, i) => i);
    let sum = 0;
    for (let start = 0; start < y.length; start += capacity) {
      const rows = all.subarray(start, Math.min(y.length, start + capacity));
      const z = this.forward(input, rows);
      for (let k = 0; k < rows.length; k++) sum += logLossOfLogit(z[k], y[rows[k]]);
    }
    return sum / y.length;
  }
}

/** x[xAt .. xAt + n) . y[yAt .. yAt + n), four sums in flight. */
function dot(x: Float64Array, xAt: number, y: Float64Array, yAt: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let u = 0;
  for (; u + 3 < n; u += 4) {
    s0 += x[xAt + u] * y[yAt + u];
    s1 += x[xAt + u + 1] * y[yAt + u + 1];
    s2 += x[xAt + u + 2] * y[yAt + u + 2];
    s3 += x[xAt + u + 3] * y[yAt + u + 3];
  }
  for (; u < n; u++) s0 += x[xAt + u] * y[yAt + u];
  return s0 + s1 + s2 + s3;
}

/**
 * C[i, j] += sum over t < depth of A[i * aRow + t * aStep] * B[t * bStep + j * bCol], for C m x n
 * row-major: one strided kernel for A B, A^T B and A B^T. Blocks of 4 x 4 outputs keep their sums
 * in locals, so each loaded value serves four multiply-adds (about 3x a plain triple loop in V8).
 */
function gemm(
  C: Float64Array,
  m: number,
  n: number,
  A: Float64Array,
  aRow: number,
  aStep: number,
  B: Float64Array,
  bStep: number,
  bCol: number,
  depth: number,
): void {
  const m4 = m - (m % 4);
  const n4 = n - (n % 4);
  for (let i = 0; i < m4; i += 4) {
    const a0 = i * aRow;
    const a1 = a0 + aRow;
    const a2 = a1 + aRow;
    const a3 = a2 + aRow;
    for (let j = 0; j < n4; j += 4) {
      const b0 = j * bCol;
      const b1 = b0 + bCol;
      const b2 = b1 + bCol;
      const b3 = b2 + bCol;
      let c00 = 0, c01 = 0, c02 = 0, c03 = 0, c10 = 0, c11 = 0, c12 = 0, c13 = 0;
      let c20 = 0, c21 = 0, c22 = 0, c23 = 0, c30 = 0, c31 = 0, c32 = 0, c33 = 0;
      for (let t = 0, ta = 0, tb = 0; t < depth; t++, ta += aStep, tb += bStep) {
        const x0 = A[a0 + ta];
        const x1 = A[a1 + ta];
        const x2 = A[a2 + ta];
        const x3 = A[a3 + ta];
        const y0 = B[tb + b0];
        const y1 = B[tb + b1];
        const y2 = B[tb + b2];
        const y3 = B[tb + b3];
        c00 += x0 * y0; c01 += x0 * y1; c02 += x0 * y2; c03 += x0 * y3;
        c10 += x1 * y0; c11 += x1 * y1; c12 += x1 * y2; c13 += x1 * y3;
        c20 += x2 * y0; c21 += x2 * y1; c22 += x2 * y2; c23 += x2 * y3;
        c30 += x3 * y0; c31 += x3 * y1; c32 += x3 * y2; c33 += x3 * y3;
      }
      const o0 = i * n + j;
      const o1 = o0 + n;
      const o2 = o1 + n;
      const o3 = o2 + n;
      C[o0] += c00; C[o0 + 1] += c01; C[o0 + 2] += c02; C[o0 + 3] += c03;
      C[o1] += c10; C[o1 + 1] += c11; C[o1 + 2] += c12; C[o1 + 3] += c13;
      C[o2] += c20; C[o2 + 1] += c21; C[o2 + 2] += c22; C[o2 + 3] += c23;
      C[o3] += c30; C[o3 + 1] += c31; C[o3 + 2] += c32; C[o3 + 3] += c33;
    }
  }
  // The edges: rows below m4 for every column, columns from n4 for the blocked rows.
  for (let i = 0; i < m; i++) {
    for (let j = i < m4 ? n4 : 0; j < n; j++) {
      let s = 0;
      for (let t = 0, ta = i * aRow, tb = j * bCol; t < depth; t++, ta += aStep, tb += bStep) s += A[ta] * B[tb];
      C[i * n + j] += s;
    }
  }
}

/** max(z, 0) - z y + log(1 + e^-|z|): the log loss of logit z, finite for any z. */
function logLossOfLogit(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

function sigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

/** tfjs's Adam: bias-corrected moments, w -= lr * m^ / (sqrt(v^) + epsilon). */
class Adam {
  private readonly m: Float64Array[];
  private readonly v: Float64Array[];
  private t = 0;

  constructor(
    private readonly params: Float64Array[],
    private readonly learningRate: number,
  ) {
    this.m = params.map((p) => new Float64Array(p.length));
    this.v = params.map((p) => new Float64Array(p.length));
  }

  step(gradients: Float64Array[]): void {
    this.t++;
    // lr * (m / c1) / (sqrt(v / c2) + epsilon), with the bias corrections taken out of the loop.
    const root = Math.sqrt(1 - BETA2 ** this.t);
    const lr = (this.learningRate * root) / (1 - BETA1 ** this.t);
    const epsilon = EPSILON * root;
    for (let k = 0; k < this.params.length; k++) {
      const p = this.params[k];
      const g = gradients[k];
      const m = this.m[k];
      const v = this.v[k];
      for (let i = 0; i < p.length; i++) {
        m[i] = BETA1 * m[i] + (1 - BETA1) * g[i];
        v[i] = BETA2 * v[i] + (1 - BETA2) * g[i] * g[i];
        p[i] -= (lr * m[i]) / (Math.sqrt(v[i]) + epsilon);
      }
    }
  }
}
