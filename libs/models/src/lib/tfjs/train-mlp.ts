import type { SeededRandom } from '@purchase/core';
import { defaultThreads, FitThreads, shared } from '../fit-threads';
import type { Matrix } from '../model';
import { kernelModule, newSharedMemory, WASM_MAX_PAGES, WASM_PAGE, type MlpKernels, type WasmApi, type WasmMemory, type WasmModule } from './mlp-kernels';

/**
 * Minibatch Adam training of a ReLU multilayer perceptron with one sigmoid output: forward pass,
 * backpropagation and the Adam update of each batch, with the semantics of the tfjs loop it
 * replaces (inverted dropout after each hidden layer, Keras L2 on every kernel, tfjs's Adam with
 * epsilon 1e-7, mean class-weighted log loss per batch, early stopping on the validation loss
 * keeping the best epoch's weights). The weights then go into the tfjs layers network, which
 * predicts and saves them.
 *
 * Why not tfjs: a step of a 64-32 net on 200 rows is a few million multiply-adds, small enough
 * that tfjs's cost per op (tens of kernels per step, each with its own bookkeeping, tens of µs
 * here) was most of the time: 64-32 on 28k x 60 took ~0.5 s of CPU an epoch on the wasm backend.
 *
 * How: the matrix products run in WebAssembly SIMD (mlp-kernels.wat: f32x4, ~7x V8's scalar
 * float64 loops on these shapes), over float32 activations, deltas and weights in one WebAssembly
 * memory, as tfjs computes in float32; Adam keeps float64 weights and moments and writes their
 * float32 copy after each step. The first layer visits only the non-zero inputs when most are zeros
 * (one-hot blocks): forward as a sparse (compressed rows) times dense product, backward the same
 * over the batch's non-zeros regrouped by column.
 *
 * On several cores (`threads`, default all): a batch is cut into chunks by its size alone (at most
 * MAX_CHUNKS of at least MIN_CHUNK_ROWS rows); the threads of a FitThreads pool compute the chunks'
 * gradients, each into its own buffer, over the weights in shared memory, and the calling thread
 * adds them in chunk order and takes the Adam step. The dropout masks are drawn before the batch.
 * So the weights are the same, bit for bit, for any number of threads.
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
  /** Threads to train on (default: all cores where batches hold enough work; see threadsFor); the weights do not depend on it. */
  threads?: number;
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
/** A batch is cut into at most this many chunks (work items), each of at least MIN_CHUNK_ROWS rows. */
const MAX_CHUNKS = 4;
const MIN_CHUNK_ROWS = 32;
/** Fewer training rows per thread than this and a worker's start-up (~30 ms) outweighs its share. */
const ROWS_PER_THREAD = 2_000;
/**
 * Multiply-adds of a batch (dense-equivalent) per thread, below which the default is fewer threads.
 * Measured on 30k rows, 2 cores: 60-64-32 at batch 200 (1.2M) is slower on 2 threads than on 1
 * (0.205 vs 0.160 s for 3 epochs: the hand-offs cost more than a batch), 100-128-64 at 200 (4.2M)
 * 1.25x faster, 200-256-128 at 256 (21.5M) 1.66x.
 */
const WORK_PER_THREAD = 2_000_000;
/** The Adam step is cut into this many slices of the parameters (work items). */
const UPDATE_SLICES = 4;

/**
 * Where a matrix lives in the memory (offsets in 4-byte elements). Dense (dense = 1): x, rows x
 * cols. Mostly zeros: row r's non-zeros are columns[starts[r] .. starts[r + 1]) with their values.
 */
interface InputLayout {
  dense: number;
  x: number;
  starts: number;
  columns: number;
  values: number;
}

/**
 * Everything the threads share. Numbers fixed for the fit; `f32` and `i32` view the one
 * WebAssembly memory, at the element offsets below (the part-relative ones from part * partSize).
 * Kernels (mlpTrainItem, mlpValidationItem) run on workers from their source text (fit-threads.ts),
 * with the helpers beside them: they use only their arguments and those functions. Each thread
 * instantiates the module over the shared memory on its first item (`kernels`).
 */
interface MlpState {
  module: WasmModule;
  memory: WasmMemory;
  kernels?: MlpKernels;
  f32: Float32Array;
  i32: Int32Array;
  /** Layer widths, input first, output (1) last. */
  sizes: number[];
  /** Offsets of kernel l and bias l within the parameters (and within each chunk's gradient). */
  kernelAt: number[];
  biasAt: number[];
  paramCount: number;
  /** The float32 parameters, and kernel l transposed (units x inputs; l >= 1). */
  params32: number;
  kernelT: number[];
  /** Rows a work item covers at most: a chunk of a batch, or a slice of the validation rows. */
  chunkRows: number;
  /** 1 / (1 - dropout), or 1 without dropout: the gradient of a kept unit's output. */
  dropoutScale: number;
  train: InputLayout;
  validation: InputLayout;
  cols: number;
  /** Per chunk of the batch: its gradient (paramCount values), float32. */
  grads: number;
  /** Per hidden layer l (from masks + maskAt[l]), batch rows x units: the factor of each unit, 0 or 1 / keep. */
  masks: number;
  maskAt: number[];
  /** Per thread, from partStart + part * partSize: activations and deltas of layer l, dense rows gathered, a chunk's non-zeros by row and by column. */
  partStart: number;
  partSize: number;
  actAt: number[];
  deltaAt: number[];
  gatherAt: number;
  rowStartsAt: number;
  rowColumnsAt: number;
  rowValuesAt: number;
  colStartsAt: number;
  colRowsAt: number;
  colValuesAt: number;
  /** Training rows in this epoch's order (i32), and a 1 (f32): bias gradients are products with a row of ones. */
  order: number;
  one: number;
  /** The batch: its first position in order, its rows, the rows of each chunk, its chunks. */
  batch: Int32Array;
  /** The float64 parameters (laid out as params32) and Adam's moments, in the memory (offsets in 4-byte elements). */
  params: number;
  moment1: number;
  moment2: number;
  /** This step's size and epsilon (bias corrections folded in), the L2 factor, beta1, beta2. */
  adam: Float64Array;
  /** Per slice of the parameters: the sum of its squared kernel weights before the step. */
  squares: Float64Array;
  y: Uint8Array;
  /** Loss weight of class 0 and of class 1. */
  classWeight: Float64Array;
  /** Per chunk of the batch: its summed weighted loss. */
  losses: Float64Array;
  validationY: Uint8Array;
  validationLosses: Float64Array;
}

/**
 * Trains `weights` in place on (X, y); on return they are the last epoch's, or the best epoch's with
 * validation data. Yields to the event loop after each epoch, so that signals and timers are served
 * during a long fit.
 */
export async function trainMlpInPlace(weights: MlpWeights, X: Matrix, y: Uint8Array, options: MlpTrainingOptions): Promise<MlpTrainingResult> {
  const { batchSize, rng, validation, l2 } = options;
  const batchRows = Math.min(batchSize, X.rows);
  const threads = threadsFor(options.threads, X.rows, batchRows, weights.sizes);
  const s = mlpState(weights, X, y, options, threads);
  const { kernelAt, biasAt } = s;
  const params = new Float64Array(s.memory.buffer, s.params * 4, s.paramCount);
  weights.kernels.forEach((k, l) => params.set(k, kernelAt[l]));
  weights.biases.forEach((b, l) => params.set(b, biasAt[l]));
  writeParams32(s, params);
  const pool = await FitThreads.start(threads, KERNELS, HELPERS, s);
  const order = s.i32.subarray(s.order, s.order + X.rows);
  let step = 0;
  const keep = 1 - options.dropout;
  let best: { epoch: number; loss: number; params: Float64Array } | undefined;
  let epochs = 0;
  let trainLoss = NaN;
  let stoppedEarly = false;
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      rng.shuffleInPlace(order);
      let lossSum = 0;
      for (let start = 0; start < X.rows; start += batchSize) {
        const n = Math.min(batchSize, X.rows - start);
        const per = Math.ceil(n / chunkCount(n));
        const chunks = Math.ceil(n / per);
        s.batch[0] = start;
        s.batch[1] = n;
        s.batch[2] = per;
        s.batch[3] = chunks;
        if (options.dropout > 0) drawMasks(s, n, rng, keep);
        pool.run(mlpTrainItem, chunks);
        // tfjs's Adam: bias-corrected moments, w -= lr * m^ / (sqrt(v^) + epsilon), with the
        // corrections folded into the step size and epsilon.
        step++;
        const root = Math.sqrt(1 - BETA2 ** step);
        s.adam[0] = (options.learningRate * root) / (1 - BETA1 ** step);
        s.adam[1] = EPSILON * root;
        pool.run(mlpUpdateItem, UPDATE_SLICES);
        // Sums in chunk and slice order, whichever thread computed them.
        let batchLoss = 0;
        for (let c = 0; c < chunks; c++) batchLoss += s.losses[c];
        let squares = 0;
        for (let k = 0; k < UPDATE_SLICES; k++) squares += s.squares[k];
        lossSum += batchLoss + l2 * squares * n;
      }
      trainLoss = lossSum / X.rows;
      epochs = epoch;
      if (!Number.isFinite(trainLoss)) {
        throw new Error(`DenseNet training diverged at epoch ${epoch} (loss ${trainLoss}); lower learningRate`);
      }
      const validationLoss = validation && meanValidationLoss(s, pool);
      options.onEpoch?.(epoch, trainLoss, validationLoss);
      await new Promise((resolve) => setImmediate(resolve));
      if (validationLoss === undefined) continue;
      if (best === undefined || validationLoss < best.loss) {
        best = { epoch, loss: validationLoss, params: Float64Array.from(params) };
      } else if (epoch - best.epoch >= options.patience) {
        stoppedEarly = true;
        break;
      }
    }
  } finally {
    await pool.close();
  }
  const kept = best?.params ?? params;
  weights.kernels.forEach((k, l) => k.set(kept.subarray(kernelAt[l], kernelAt[l] + k.length)));
  weights.biases.forEach((b, l) => b.set(kept.subarray(biasAt[l], biasAt[l] + b.length)));
  return { epochs, stoppedEarly, trainLoss, ...(best && { best: { epoch: best.epoch, loss: best.loss } }) };
}

/**
 * Threads a fit runs on: as asked, or by default all cores where a batch holds enough work to share
 * (WORK_PER_THREAD multiply-adds each); never more than a batch has chunks, nor one per fewer than
 * ROWS_PER_THREAD rows.
 */
function threadsFor(requested: number | undefined, rows: number, batchRows: number, sizes: number[]): number {
  const most = Math.max(1, Math.min(Math.floor(rows / ROWS_PER_THREAD), chunkCount(batchRows)));
  if (requested !== undefined) return Math.min(requested, most);
  let work = 0;
  for (let l = 0; l < sizes.length - 1; l++) work += batchRows * sizes[l] * sizes[l + 1];
  return Math.min(defaultThreads(), most, Math.max(1, Math.floor(work / WORK_PER_THREAD)));
}

/** Chunks of a batch of n rows: as many as fit MIN_CHUNK_ROWS each, at most MAX_CHUNKS. A function of n alone. */
function chunkCount(n: number): number {
  return Math.max(1, Math.min(MAX_CHUNKS, Math.ceil(n / MIN_CHUNK_ROWS)));
}

/** The float32 copy of the parameters the kernels read, and the transposed kernels of layers >= 1. */
function writeParams32(s: MlpState, params: Float64Array): void {
  s.f32.set(params, s.params32);
  for (let l = 1; l < s.sizes.length - 1; l++) mlpTranspose(s, l, s.kernelAt[l], s.kernelAt[l] + s.sizes[l] * s.sizes[l + 1]);
}

/** The masks of a batch of n rows: hidden layer by hidden layer, row-major, one draw per unit. */
function drawMasks(s: MlpState, n: number, rng: SeededRandom, keep: number): void {
  const { f32, maskAt, sizes } = s;
  for (let l = 0; l < maskAt.length; l++) {
    for (let i = s.masks + maskAt[l], end = i + n * sizes[l + 1]; i < end; i++) f32[i] = +(rng.next() < keep) / keep;
  }
}

/** Unweighted mean log loss over the validation rows, without dropout: slices summed in order. */
function meanValidationLoss(s: MlpState, pool: FitThreads<MlpState>): number {
  const rows = s.validationY.length;
  const items = Math.ceil(rows / s.chunkRows);
  pool.run(mlpValidationItem, items);
  let sum = 0;
  for (let i = 0; i < items; i++) sum += s.validationLosses[i];
  return sum / rows;
}

/** The memory's layout, then the memory with the inputs copied in, and the arrays beside it. */
function mlpState(weights: MlpWeights, X: Matrix, y: Uint8Array, options: MlpTrainingOptions, threads: number): MlpState {
  const { sizes } = weights;
  const layers = sizes.length - 1;
  let end = 0;
  /** `count` elements, from a 16-byte boundary (vector loads). */
  const take = (count: number): number => {
    const at = end;
    end += Math.ceil(count / 4) * 4;
    return at;
  };
  const kernelAt: number[] = [];
  const biasAt: number[] = [];
  let paramCount = 0;
  for (let l = 0; l < layers; l++) {
    kernelAt.push(paramCount);
    paramCount += sizes[l] * sizes[l + 1];
    biasAt.push(paramCount);
    paramCount += sizes[l + 1];
  }
  const params64 = take(2 * paramCount);
  const moment1 = take(2 * paramCount);
  const moment2 = take(2 * paramCount);
  const params32 = take(paramCount);
  const one = take(1);
  const order = take(X.rows);
  const kernelT = sizes.slice(0, layers).map((inputs, l) => (l === 0 ? -1 : take(inputs * sizes[l + 1])));

  const validationX = options.validation?.X ?? { data: new Float32Array(0), rows: 0, cols: X.cols };
  const trainCount = nonZeros(X);
  const validationCount = nonZeros(validationX);
  const trainDense = trainCount > SPARSE_DENSITY * X.rows * X.cols;
  const validationDense = validationCount > SPARSE_DENSITY * validationX.rows * validationX.cols;
  const inputLayout = (M: Matrix, dense: boolean, count: number): InputLayout =>
    dense
      ? { dense: 1, x: take(M.rows * M.cols), starts: 0, columns: 0, values: 0 }
      : { dense: 0, x: 0, starts: take(M.rows + 1), columns: take(count), values: take(count) };
  const train = inputLayout(X, trainDense, trainCount);
  const validation = inputLayout(validationX, validationDense, validationCount);

  // The widest chunk of any batch: its rows size every per-chunk buffer.
  const batchRows = Math.min(options.batchSize, X.rows);
  let chunkRows = 1;
  for (let n = 1; n <= batchRows; n++) chunkRows = Math.max(chunkRows, Math.ceil(n / chunkCount(n)));
  const chunks = chunkCount(batchRows);
  const grads = take(chunks * paramCount);
  const maskAt: number[] = [];
  let maskSize = 0;
  if (options.dropout > 0) {
    for (let l = 1; l < layers; l++) {
      maskAt.push(maskSize);
      maskSize += batchRows * sizes[l];
    }
  }
  const masks = take(maskSize);

  const widest = trainDense ? 0 : widestRow(X);
  const entries = chunkRows * widest;
  // Part-relative offsets; every size is a multiple of 4, so each part starts on a 16-byte boundary.
  const partStart = end;
  const actAt: number[] = [0];
  const deltaAt: number[] = [0];
  for (let l = 1; l <= layers; l++) {
    actAt.push(take(chunkRows * sizes[l]) - partStart);
    deltaAt.push(take(chunkRows * sizes[l]) - partStart);
  }
  const gatherAt = take(trainDense ? chunkRows * X.cols : 0) - partStart;
  const rowStartsAt = take(chunkRows + 1) - partStart;
  const rowColumnsAt = take(entries) - partStart;
  const rowValuesAt = take(entries) - partStart;
  const colStartsAt = take(X.cols + 1) - partStart;
  const colRowsAt = take(entries) - partStart;
  const colValuesAt = take(entries) - partStart;
  const partSize = end - partStart;
  end = partStart + threads * partSize;

  const pages = Math.ceil((end * 4) / WASM_PAGE);
  if (pages > WASM_MAX_PAGES) {
    throw new Error(
      `DenseNet: ${X.rows} x ${X.cols} training rows need ${Math.round((end * 4) / 2 ** 20)} MiB of WebAssembly memory, above its 4 GiB; train on fewer rows (a sample)`,
    );
  }
  const memory = newSharedMemory(pages);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  f32[one] = 1;
  for (let i = 0; i < X.rows; i++) i32[order + i] = i;
  writeInput(X, train, f32, i32);
  writeInput(validationX, validation, f32, i32);

  // The small arrays beside the memory are in shared memory too, whether or not workers come.
  const labels = shared(Uint8Array, X.rows);
  labels.set(y.subarray(0, X.rows));
  const validationRows = options.validation?.y.length ?? 0;
  const validationY = shared(Uint8Array, validationRows);
  if (options.validation) validationY.set(options.validation.y.subarray(0, validationRows));
  const adamSettings = shared(Float64Array, 5);
  adamSettings.set([0, 0, options.l2, BETA1, BETA2]);
  const classWeight = shared(Float64Array, 2);
  classWeight.set(options.classWeights ?? [1, 1]);
  return {
    module: kernelModule(),
    memory,
    f32,
    i32,
    sizes: [...sizes],
    kernelAt,
    biasAt,
    paramCount,
    params32,
    kernelT,
    chunkRows,
    dropoutScale: options.dropout > 0 ? 1 / (1 - options.dropout) : 1,
    train,
    validation,
    cols: X.cols,
    grads,
    masks,
    maskAt,
    partStart,
    partSize,
    actAt,
    deltaAt,
    gatherAt,
    rowStartsAt,
    rowColumnsAt,
    rowValuesAt,
    colStartsAt,
    colRowsAt,
    colValuesAt,
    order,
    one,
    batch: shared(Int32Array, 4),
    params: params64,
    moment1,
    moment2,
    adam: adamSettings,
    squares: shared(Float64Array, UPDATE_SLICES),
    y: labels,
    classWeight,
    losses: shared(Float64Array, chunks),
    validationY,
    validationLosses: shared(Float64Array, Math.ceil(validationRows / chunkRows)),
  };
}

function nonZeros({ data, rows, cols }: Matrix): number {
  let count = 0;
  for (let i = 0; i < rows * cols; i++) if (data[i] !== 0) count++;
  return count;
}

function widestRow({ data, rows, cols }: Matrix): number {
  let widest = 0;
  for (let r = 0, o = 0; r < rows; r++) {
    let count = 0;
    for (let c = 0; c < cols; c++, o++) if (data[o] !== 0) count++;
    widest = Math.max(widest, count);
  }
  return widest;
}

/** X into the memory as its layout says: as it is, or its non-zeros row by row. */
function writeInput(X: Matrix, layout: InputLayout, f32: Float32Array, i32: Int32Array): void {
  const { data, rows, cols } = X;
  if (layout.dense === 1) {
    f32.set(data.subarray(0, rows * cols), layout.x);
    return;
  }
  let at = 0;
  for (let r = 0, o = 0; r < rows; r++) {
    i32[layout.starts + r] = at;
    for (let c = 0; c < cols; c++, o++) {
      const v = data[o];
      if (v !== 0) {
        i32[layout.columns + at] = c;
        f32[layout.values + at++] = v;
      }
    }
  }
  i32[layout.starts + rows] = at;
}

// ---- Kernels and their helpers: run on the workers from their source text (see fit-threads.ts). ----

/** This thread's instance of the kernels, over the shared memory. */
function mlpKernels(s: MlpState): MlpKernels {
  const api = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;
  s.kernels ??= new api.Instance(s.module, { env: { memory: s.memory } }).exports as MlpKernels;
  return s.kernels;
}

/** Chunk `item` of the batch: its loss into losses[item], its gradient into the item-th gradient buffer. */
function mlpTrainItem(s: MlpState, item: number, part: number): void {
  const { f32, train } = s;
  const w = mlpKernels(s);
  const n = s.batch[1];
  const per = s.batch[2];
  const first = item * per;
  const m = Math.min(per, n - first);
  const rows = s.order + s.batch[0] + first;
  const base = s.partStart + part * s.partSize;
  if (train.dense === 1) {
    const x = base + s.gatherAt;
    w.gatherRows(x * 4, rows * 4, m, train.x * 4, s.cols);
    mlpForward(s, w, m, base, 1, x * 4, 0, 0, 0, first);
  } else {
    // The chunk's rows as compressed rows of their own.
    const starts = (base + s.rowStartsAt) * 4;
    const columns = (base + s.rowColumnsAt) * 4;
    const values = (base + s.rowValuesAt) * 4;
    w.gatherCsr(starts, columns, values, rows * 4, m, train.starts * 4, train.columns * 4, train.values * 4);
    mlpForward(s, w, m, base, 0, 0, starts, columns, values, first);
  }
  const last = s.sizes.length - 1;
  const z = base + s.actAt[last];
  const dz = base + s.deltaAt[last];
  let loss = 0;
  for (let k = 0; k < m; k++) {
    const label = s.y[s.i32[rows + k]];
    const weight = s.classWeight[label];
    loss += weight * mlpLogLoss(f32[z + k], label);
    f32[dz + k] = (weight * (mlpSigmoid(f32[z + k]) - label)) / n;
  }
  s.losses[item] = loss;
  const grad = s.grads + item * s.paramCount;
  f32.fill(0, grad, grad + s.paramCount);
  mlpBackward(s, w, m, base, grad);
}

/** Validation slice `item` (rows item * chunkRows on, in order): its summed log loss into validationLosses[item]. */
function mlpValidationItem(s: MlpState, item: number, part: number): void {
  const { f32, validation } = s;
  const w = mlpKernels(s);
  const first = item * s.chunkRows;
  const m = Math.min(s.chunkRows, s.validationY.length - first);
  const base = s.partStart + part * s.partSize;
  // The slice's rows are consecutive: the input is read where it is.
  if (validation.dense === 1) mlpForward(s, w, m, base, 1, (validation.x + first * s.cols) * 4, 0, 0, 0, -1);
  else mlpForward(s, w, m, base, 0, 0, (validation.starts + first) * 4, validation.columns * 4, validation.values * 4, -1);
  const z = base + s.actAt[s.sizes.length - 1];
  let loss = 0;
  for (let k = 0; k < m; k++) loss += mlpLogLoss(f32[z + k], s.validationY[first + k]);
  s.validationLosses[item] = loss;
}

/**
 * The activations of m rows into the thread's part of the memory (from `base`), layer by layer,
 * the logits last. The input: dense rows at byte offset x (dense = 1), or compressed rows (byte
 * offsets of starts, columns, values). With maskRow >= 0 the hidden units are multiplied by the
 * batch's masks from that batch row on.
 */
function mlpForward(s: MlpState, w: MlpKernels, m: number, base: number, dense: number, x: number, starts: number, columns: number, values: number, maskRow: number): void {
  const { sizes } = s;
  const last = sizes.length - 2;
  for (let l = 0; l <= last; l++) {
    const inputs = sizes[l];
    const units = sizes[l + 1];
    const a = base + s.actAt[l + 1];
    w.broadcastRow(a * 4, (s.params32 + s.biasAt[l]) * 4, m, units);
    const K = (s.params32 + s.kernelAt[l]) * 4;
    if (l > 0) w.gemm(a * 4, m, units, (base + s.actAt[l]) * 4, inputs, 1, K, units, inputs);
    else if (dense === 1) w.gemm(a * 4, m, units, x, inputs, 1, K, units, inputs);
    else w.csrTimes(a * 4, m, starts, columns, values, K, units);
    if (l === last) break;
    if (maskRow < 0 || s.maskAt.length === 0) w.relu(a * 4, m * units);
    else w.reluMasked(a * 4, (s.masks + s.maskAt[l] + maskRow * units) * 4, m * units);
  }
}

/**
 * Adds the chunk's gradients to the gradient buffer at `grad` (laid out as the parameters), from
 * the output deltas and the activations of the forward pass just run in the same part.
 */
function mlpBackward(s: MlpState, w: MlpKernels, m: number, base: number, grad: number): void {
  const { sizes, f32 } = s;
  for (let l = sizes.length - 2; l >= 0; l--) {
    const inputs = sizes[l];
    const units = sizes[l + 1];
    const d = (base + s.deltaAt[l + 1]) * 4;
    w.gemm((grad + s.biasAt[l]) * 4, 1, units, s.one * 4, 0, 0, d, units, m); // += 1^T d: the column sums
    const gK = (grad + s.kernelAt[l]) * 4;
    if (l === 0) {
      if (s.train.dense === 1) {
        w.gemm(gK, inputs, units, (base + s.gatherAt) * 4, 1, inputs, d, units, m); // += x^T d
        break;
      }
      // += x^T d over the chunk's non-zeros regrouped by column: column c's are rows of d weighted
      // by their values, a compressed-rows product into the kernel's row c.
      const starts = (base + s.colStartsAt) * 4;
      const colRows = (base + s.colRowsAt) * 4;
      const colValues = (base + s.colValuesAt) * 4;
      w.byColumn(starts, colRows, colValues, inputs, (base + s.rowStartsAt) * 4, (base + s.rowColumnsAt) * 4, (base + s.rowValuesAt) * 4, m);
      w.csrTimes(gK, inputs, starts, colRows, colValues, d, units);
      break;
    }
    const h = (base + s.actAt[l]) * 4;
    w.gemm(gK, inputs, units, h, 1, inputs, d, units, m); // += h^T d
    // below = d K^T where the unit below was active, times the dropout scale (its output was
    // relu(a) * scale); a unit whose output was 0 (inactive ReLU, or dropped) passes no gradient.
    const below = base + s.deltaAt[l];
    f32.fill(0, below, below + m * inputs);
    w.gemm(below * 4, m, inputs, d, units, 1, s.kernelT[l] * 4, inputs, units);
    w.activeDelta(below * 4, h, m * inputs, s.dropoutScale);
  }
}

/**
 * Slice `item` of the parameters (UPDATE_SLICES of them, by index): the chunks' gradients summed
 * in chunk order, plus the L2 term on kernel weights (their squares into squares[item]), then the
 * Adam step in float64 and the float32 copies the kernels read (transposed too, for layers >= 1).
 */
function mlpUpdateItem(s: MlpState, item: number): void {
  const { sizes, paramCount } = s;
  const w = mlpKernels(s);
  const per = Math.ceil(paramCount / s.squares.length);
  const lo = item * per;
  const hi = Math.min(paramCount, lo + per);
  const chunks = s.batch[3];
  const a = s.adam;
  const step = (from: number, to: number, l2: number): number =>
    from < to ? w.adam(from, to, s.grads * 4, paramCount, chunks, s.params * 4, s.moment1 * 4, s.moment2 * 4, s.params32 * 4, a[0], a[1], l2, a[3], a[4]) : 0;
  let squares = 0;
  for (let l = 0; l < sizes.length - 1; l++) {
    const units = sizes[l + 1];
    const kernel = s.kernelAt[l];
    const bias = s.biasAt[l];
    const from = Math.max(lo, kernel);
    const to = Math.min(hi, bias);
    squares += step(from, to, a[2]);
    step(Math.max(lo, bias), Math.min(hi, bias + units), 0);
    if (l > 0) mlpTranspose(s, l, from, to);
  }
  s.squares[item] = squares;
}

/**
 * Kernel l's entries [from, to) (offsets in the parameters) from their float32 copy into the
 * transposed kernel the backward pass reads: entry (r, u) at kernelT[l] + u * inputs + r.
 */
function mlpTranspose(s: MlpState, l: number, from: number, to: number): void {
  const { f32 } = s;
  const inputs = s.sizes[l];
  const units = s.sizes[l + 1];
  const kernel = s.kernelAt[l];
  const t = s.kernelT[l];
  let r = Math.floor((from - kernel) / units);
  let u = from - kernel - r * units;
  for (let i = from; i < to; i++) {
    f32[t + u * inputs + r] = f32[s.params32 + i];
    if (++u === units) {
      u = 0;
      r++;
    }
  }
}

/** max(z, 0) - z y + log(1 + e^-|z|): the log loss of logit z, finite for any z. */
function mlpLogLoss(z: number, y: number): number {
  return Math.max(z, 0) - z * y + Math.log1p(Math.exp(-Math.abs(z)));
}

function mlpSigmoid(z: number): number {
  if (z >= 0) return 1 / (1 + Math.exp(-z));
  const e = Math.exp(z);
  return e / (1 + e);
}

const KERNELS = [mlpTrainItem, mlpUpdateItem, mlpValidationItem];
const HELPERS = [mlpKernels, mlpForward, mlpBackward, mlpTranspose, mlpLogLoss, mlpSigmoid];
