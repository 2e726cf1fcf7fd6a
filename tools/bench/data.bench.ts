import { sessionChunks } from '../generate-data/sessions';
import { Sampler } from '../generate-data/sampler';
import { printTable } from './table';

/** Generator throughput on 1M rows, beside a floor: the same PRNG draws with no formatting. */
export async function run(): Promise<void> {
  const rows = 1_000_000;
  let t = performance.now();
  let bytes = 0;
  for (const chunk of sessionChunks({ rows, seed: 7 })) bytes += chunk.length;
  const generate = (performance.now() - t) / 1000;

  t = performance.now();
  const rng = new Sampler(7);
  let sink = 0;
  for (let i = 0; i < rows; i++) {
    sink += rng.next() + rng.binomial(18, 0.45) + rng.normal();
    for (let k = 0; k < 8; k++) sink += rng.next();
  }
  const floor = (performance.now() - t) / 1000;
  if (Number.isNaN(sink)) throw new Error('unreachable');

  printTable([
    { step: 'PRNG draws only (floor)', rows, seconds: floor, 'rows/s': rows / floor, ratio: 1 },
    { step: 'generate CSV (in memory)', rows, seconds: generate, 'rows/s': rows / generate, ratio: generate / floor },
  ]);
  console.log(`\n${(bytes / 1e6).toFixed(1)} MB of CSV`);
}
