/**
 * How the default seed of the bundled 500-row file was chosen (run: node tools/run-ts.mjs
 * tools/generate-data/pick-seed.ts): of seeds 1..1000, the one whose 500-row sample is closest to the
 * published shape, in units of each statistic's sampling standard error at n = 500.
 */
import { generateSessionsCsv } from './sessions';
import { distanceToTargets, TARGETS } from './shape';

let best = { seed: 0, distance: Infinity };
for (let seed = 1; seed <= 1000; seed++) {
  const distance = distanceToTargets(generateSessionsCsv({ rows: TARGETS.rows, seed }));
  if (distance < best.distance) best = { seed, distance };
}
console.log(JSON.stringify(best));
