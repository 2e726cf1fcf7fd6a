/**
 * Our side of `npm run bench -- trees`, in a fresh Node process like XGBoost's in a fresh Python:
 * node tools/run-ts.mjs tools/bench/trees-fit-process.ts DIR ROWS_TRAIN ROWS_TEST COLS THREADS
 * Reads DIR/{train_x.f32,train_y.u8,test_x.f32} (written by trees.bench.ts), fits
 * GradientBoostedTrees with the bench's parameters on THREADS threads, writes the test
 * probabilities to DIR/ours_test_p.f32 and prints one JSON line of timings (prediction: one thread).
 */
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GradientBoostedTrees } from '@purchase/models';
import { TREES_BENCH_PARAMS } from './trees-bench-params';

async function main(): Promise<void> {
  const [dir, nTrain, nTest, cols, threads] = [process.argv[2], ...process.argv.slice(3, 7).map(Number)];
  const floats = async (name: string) => new Float32Array((await readFile(path.join(dir, name))).buffer.slice(0));
  const train = { data: await floats('train_x.f32'), rows: nTrain, cols };
  const y = new Uint8Array(await readFile(path.join(dir, 'train_y.u8')));
  const test = { data: await floats('test_x.f32'), rows: nTest, cols };

  const model = new GradientBoostedTrees({ ...TREES_BENCH_PARAMS, threads });
  const start = performance.now();
  // The process's CPU time: every thread's.
  const cpu = process.cpuUsage();
  await model.fit(train, y);
  const trainSeconds = (performance.now() - start) / 1000;
  const spent = process.cpuUsage(cpu);

  model.predictProba(test); // warm-up
  const times: number[] = [];
  let p: Float32Array = new Float32Array(0);
  for (let i = 0; i < 3; i++) {
    const t = performance.now();
    p = model.predictProba(test);
    times.push((performance.now() - t) / 1000);
  }
  await writeFile(path.join(dir, 'ours_test_p.f32'), new Uint8Array(p.buffer));
  console.log(
    JSON.stringify({
      train_seconds: trainSeconds,
      train_cpu_seconds: (spent.user + spent.system) / 1e6,
      predict_seconds: times.sort((a, b) => a - b)[1],
    }),
  );
}

main().catch((err: Error) => {
  console.error(err.stack ?? err.message);
  process.exit(1);
});
