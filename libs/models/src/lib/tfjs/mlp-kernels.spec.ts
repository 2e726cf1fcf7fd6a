import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { SeededRandom } from '@purchase/core';
import { instantiateKernels, newSharedMemory, type MlpKernels } from './mlp-kernels';

const ROOT = path.resolve(__dirname, '..', '..', '..', '..', '..');
const f = Math.fround;

/** A memory of 16 pages with a bump allocator over it (4-byte elements, 16-byte aligned). */
function arena() {
  const memory = newSharedMemory(16);
  const f32 = new Float32Array(memory.buffer);
  const i32 = new Int32Array(memory.buffer);
  const f64 = new Float64Array(memory.buffer);
  let end = 4;
  const take = (count: number): number => {
    const at = end;
    end += Math.ceil(count / 4) * 4;
    return at;
  };
  return { kernels: instantiateKernels(memory), f32, i32, f64, take };
}

function randomFloats(rng: SeededRandom, n: number): number[] {
  return Array.from({ length: n }, () => f(rng.next() * 4 - 2));
}

/** What gemm promises, in float32 step by step: per output, products added in t order from 0, then added to C. */
function referenceGemm(C: number[], m: number, n: number, A: number[], aRow: number, aStep: number, B: number[], bStep: number, depth: number): number[] {
  const out = [...C];
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let t = 0; t < depth; t++) s = f(s + f(A[i * aRow + t * aStep] * B[t * bStep + j]));
      out[i * n + j] = f(out[i * n + j] + s);
    }
  }
  return out;
}

describe('mlp-kernels.wat', () => {
  it('is committed as its own assembly (npm run build:wasm -- --check)', () => {
    const res = spawnSync(process.execPath, [path.join(ROOT, 'tools', 'build', 'build-wasm.mjs'), '--check'], { cwd: ROOT, encoding: 'utf8' });
    expect(res.stderr).toBe('');
    expect(res.status).toBe(0);
    expect(res.stdout).toContain('libs/models/src/lib/tfjs/mlp-kernels-wasm.ts: up to date');
  });

  describe('gemm gives the float32 sums in t order, bit for bit, on every edge of its blocks', () => {
    const shapes: [number, number, number][] = [];
    for (const m of [1, 3, 4, 5, 8, 9]) for (const n of [1, 3, 4, 7, 8, 9, 12, 17]) shapes.push([m, n, m === 1 ? 1 : 6]);
    shapes.push([50, 64, 60], [50, 32, 64], [13, 1, 32]);

    it.each(shapes)('A B and A^T B, %i x %i, depth %i', (m, n, depth) => {
      const { kernels, f32, take } = arena();
      const rng = new SeededRandom(m * 100 + n);
      const A = randomFloats(rng, m * depth);
      const B = randomFloats(rng, depth * n);
      const C = randomFloats(rng, m * n);
      const [a, b, c] = [take(A.length), take(B.length), take(C.length)];
      f32.set(A, a);
      f32.set(B, b);
      // A B: A is m x depth row-major.
      f32.set(C, c);
      kernels.gemm(c * 4, m, n, a * 4, depth, 1, b * 4, n, depth);
      expect(Array.from(f32.subarray(c, c + m * n))).toEqual(referenceGemm(C, m, n, A, depth, 1, B, n, depth));
      // A^T B: the same values read as a depth x m matrix transposed.
      f32.set(C, c);
      kernels.gemm(c * 4, m, n, a * 4, 1, m, b * 4, n, depth);
      expect(Array.from(f32.subarray(c, c + m * n))).toEqual(referenceGemm(C, m, n, A, 1, m, B, n, depth));
    });

    it('a row of ones with step 0 gives the column sums', () => {
      const { kernels, f32, take } = arena();
      const D = randomFloats(new SeededRandom(3), 7 * 10);
      const [one, d, out] = [take(1), take(D.length), take(10)];
      f32[one] = 1;
      f32.set(D, d);
      kernels.gemm(out * 4, 1, 10, one * 4, 0, 0, d * 4, 10, 7);
      const sums = Array.from({ length: 10 }, (_, j) => D.filter((_, i) => i % 10 === j).reduce((s, v) => f(s + v), 0));
      expect(Array.from(f32.subarray(out, out + 10))).toEqual(sums.map((s) => f(0 + s)));
    });
  });

  it.each([1, 3, 4, 16, 19, 64])('csrTimes adds sparse rows times a dense matrix, %i units, in entry order', (units) => {
    const { kernels, f32, i32, take } = arena();
    const rng = new SeededRandom(units);
    const rows = 9;
    const cols = 11;
    const starts = [0];
    const index: number[] = [];
    const values: number[] = [];
    for (let r = 0; r < rows; r++) {
      for (let c = 0; c < cols; c++) {
        if (rng.next() < 0.35) {
          index.push(c);
          values.push(randomFloats(rng, 1)[0]);
        }
      }
      starts.push(index.length);
    }
    const M = randomFloats(rng, cols * units);
    const out0 = randomFloats(rng, rows * units);
    const [s, ix, v, mat, out] = [take(rows + 1), take(index.length), take(values.length), take(M.length), take(out0.length)];
    i32.set(starts, s);
    i32.set(index, ix);
    f32.set(values, v);
    f32.set(M, mat);
    f32.set(out0, out);
    kernels.csrTimes(out * 4, rows, s * 4, ix * 4, v * 4, mat * 4, units);
    const expected = [...out0];
    for (let r = 0; r < rows; r++) {
      for (let u = 0; u < units; u++) {
        let acc = expected[r * units + u];
        for (let p = starts[r]; p < starts[r + 1]; p++) acc = f(acc + f(values[p] * M[index[p] * units + u]));
        expected[r * units + u] = acc;
      }
    }
    expect(Array.from(f32.subarray(out, out + rows * units))).toEqual(expected);
  });

  it('relu, reluMasked and activeDelta: elementwise, on whole vectors and the tail', () => {
    const { kernels, f32, take } = arena();
    const n = 23;
    const rng = new SeededRandom(8);
    const A = randomFloats(rng, n);
    const mask = Array.from({ length: n }, () => (rng.next() < 0.7 ? f(1 / 0.7) : 0));
    const [a, k] = [take(n), take(n)];
    f32.set(A, a);
    kernels.relu(a * 4, n);
    expect(Array.from(f32.subarray(a, a + n))).toEqual(A.map((x) => Math.max(x, 0)));
    f32.set(A, a);
    f32.set(mask, k);
    kernels.reluMasked(a * 4, k * 4, n);
    expect(Array.from(f32.subarray(a, a + n))).toEqual(A.map((x, i) => f(Math.max(x, 0) * mask[i])));
    const H = A.map((x) => Math.max(x, 0));
    const D = randomFloats(rng, n);
    f32.set(H, k);
    f32.set(D, a);
    kernels.activeDelta(a * 4, k * 4, n, f(1 / 0.7));
    expect(Array.from(f32.subarray(a, a + n))).toEqual(D.map((d, i) => (H[i] > 0 ? f(d * f(1 / 0.7)) : 0)));
  });

  it('gatherCsr takes rows of a compressed matrix in the given order; byColumn regroups them by column, rows ascending', () => {
    const { kernels, f32, i32, take } = arena();
    // Rows: 0: (1, a) (3, b); 1: none; 2: (0, c) (1, d) (4, e); 3: (3, g)
    const starts = [0, 2, 2, 5, 6];
    const index = [1, 3, 0, 1, 4, 3];
    const values = [1, 2, 3, 4, 5, 6];
    const order = [2, 0, 1, 3];
    const [s, ix, v, rows] = [take(5), take(6), take(6), take(4)];
    i32.set(starts, s);
    i32.set(index, ix);
    f32.set(values, v);
    i32.set(order, rows);
    const [os, oi, ov] = [take(5), take(6), take(6)];
    kernels.gatherCsr(os * 4, oi * 4, ov * 4, rows * 4, 4, s * 4, ix * 4, v * 4);
    expect(Array.from(i32.subarray(os, os + 5))).toEqual([0, 3, 5, 5, 6]);
    expect(Array.from(i32.subarray(oi, oi + 6))).toEqual([0, 1, 4, 1, 3, 3]);
    expect(Array.from(f32.subarray(ov, ov + 6))).toEqual([3, 4, 5, 1, 2, 6]);
    const [cs, cr, cv] = [take(6), take(6), take(6)];
    kernels.byColumn(cs * 4, cr * 4, cv * 4, 5, os * 4, oi * 4, ov * 4, 4);
    // Column 0: (row 0, 3); 1: (0, 4) (1, 1); 2: none; 3: (1, 2) (3, 6); 4: (0, 5).
    expect(Array.from(i32.subarray(cs, cs + 6))).toEqual([0, 1, 3, 3, 5, 6]);
    expect(Array.from(i32.subarray(cr, cr + 6))).toEqual([0, 0, 1, 1, 3, 0]);
    expect(Array.from(f32.subarray(cv, cv + 6))).toEqual([3, 4, 1, 2, 6, 5]);
  });

  it('adam takes the float64 step of tfjs Adam from float32 gradients summed in chunk order, and returns the squares', () => {
    const { kernels, f32, f64, take }: { kernels: MlpKernels } & ReturnType<typeof arena> = arena();
    const rng = new SeededRandom(4);
    const count = 13;
    const chunks = 3;
    const G = randomFloats(rng, chunks * count);
    const P = Array.from({ length: count }, () => rng.next() - 0.5);
    const M1 = Array.from({ length: count }, () => (rng.next() - 0.5) / 10);
    const M2 = Array.from({ length: count }, () => rng.next() / 100);
    const [g, p, m, v, p32] = [take(G.length), take(2 * count), take(2 * count), take(2 * count), take(count)];
    f32.set(G, g);
    f64.set(P, p / 2);
    f64.set(M1, m / 2);
    f64.set(M2, v / 2);
    const [lr, eps, l2, b1, b2] = [0.01, 1e-7, 0.003, 0.9, 0.999];
    // Entries 2 .. 11 only.
    const squares = kernels.adam(2, 11, g * 4, count, chunks, p * 4, m * 4, v * 4, p32 * 4, lr, eps, l2, b1, b2);
    let expectedSquares = 0;
    for (let i = 0; i < count; i++) {
      if (i < 2 || i >= 11) {
        expect(f64[p / 2 + i]).toBe(P[i]);
        continue;
      }
      let grad = 0;
      for (let c = 0; c < chunks; c++) grad += G[c * count + i];
      expectedSquares += P[i] * P[i];
      grad += 2 * l2 * P[i];
      const mi = b1 * M1[i] + (1 - b1) * grad;
      const vi = b2 * M2[i] + (1 - b2) * grad * grad;
      const next = P[i] - (lr * mi) / (Math.sqrt(vi) + eps);
      expect([f64[m / 2 + i], f64[v / 2 + i], f64[p / 2 + i], f32[p32 + i]]).toEqual([mi, vi, next, f(next)]);
    }
    expect(squares).toBe(expectedSquares);
  });
});
