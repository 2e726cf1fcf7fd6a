import { FitThreads, shared } from './fit-threads';

interface Counts {
  runs: Int32Array;
  by: Int32Array;
  values: Float64Array;
}

/** Counts each item it does and who did it. */
function countItem(s: Counts, item: number, part: number): void {
  s.runs[item]++;
  s.by[item] = part;
}

/** values[item] = the item's value times item, or throws on a worker. */
function scaleItem(s: Counts, item: number, part: number): void {
  if (s.values[item] < 0 && part > 0) throw new Error(`item ${item} refused on thread ${part}`);
  s.values[item] *= item;
}

const state = (items: number): Counts => ({ runs: shared(Int32Array, items), by: shared(Int32Array, items), values: shared(Float64Array, items) });

describe('FitThreads', () => {
  it('does every item of every run exactly once, on all its threads', async () => {
    const s = state(400);
    const threads = await FitThreads.start(3, [countItem, scaleItem], [], s);
    try {
      expect(threads.threads).toBe(3);
      for (let run = 0; run < 50; run++) threads.run(countItem, 400);
      expect(Array.from(s.runs).every((n) => n === 50)).toBe(true);
      // Buffers replaced between runs reach the workers too.
      threads.update({ values: shared(Float64Array, 400).fill(2) });
      threads.run(scaleItem, 400);
      expect(Array.from(s.values)).toEqual(Array.from({ length: 400 }, (_, i) => 2 * i));
    } finally {
      await threads.close();
    }
  });

  it('runs items on the calling thread alone with one thread', async () => {
    const s = state(10);
    const threads = await FitThreads.start(1, [countItem], [], s);
    threads.run(countItem, 10);
    expect(Array.from(s.by)).toEqual(new Array(10).fill(0));
    await threads.close();
  });

  it('reports a kernel that throws on a worker', async () => {
    const s = state(2000);
    s.values.fill(-1);
    const threads = await FitThreads.start(2, [scaleItem], [], s);
    try {
      expect(() => {
        // Some items are refused if the worker takes any; run until it does.
        for (let run = 0; run < 1000; run++) threads.run(scaleItem, 2000);
      }).toThrow(/^a training thread failed: Error: item \d+ refused on thread 1/);
    } finally {
      await threads.close();
    }
  });

  it('refuses state that is not shared memory', async () => {
    const s = { ...state(1), runs: new Int32Array(1) };
    await expect(FitThreads.start(2, [countItem], [], s)).rejects.toThrow(
      'internal: runs must be over a SharedArrayBuffer to be shared with the training threads',
    );
  });
});
