/**
 * npm run bench [-- section ...]
 * Runs the benchmark sections (all by default) and prints each one's table. Figures are ratios
 * against a baseline run side by side in the same process, because these machines are noisy.
 */
import * as dataBench from './data.bench';
import * as featuresBench from './features.bench';
import * as modelsBench from './models.bench';
import * as treesBench from './trees.bench';
import * as evaluationBench from './evaluation.bench';
import * as inferenceBench from './inference.bench';
import * as apiBench from './api.bench';

type Section = { run: () => Promise<void> };

const SECTIONS: Record<string, Section> = {
  data: dataBench,
  features: featuresBench,
  models: modelsBench,
  trees: treesBench,
  evaluation: evaluationBench,
  inference: inferenceBench,
  api: apiBench,
};

async function main(): Promise<void> {
  const requested = process.argv.slice(2);
  const unknown = requested.filter((name) => !(name in SECTIONS));
  if (unknown.length > 0) {
    throw new Error(`unknown bench section(s): ${unknown.join(', ')}; known: ${Object.keys(SECTIONS).join(', ')}`);
  }
  for (const name of requested.length > 0 ? requested : Object.keys(SECTIONS)) {
    console.log(`\n## ${name}\n`);
    await SECTIONS[name].run();
  }
}

main().catch((err: Error) => {
  console.error(`bench: ${err.stack ?? err.message}`);
  process.exit(1);
});
