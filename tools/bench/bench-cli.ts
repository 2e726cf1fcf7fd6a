/** The benchmark CLI as a function: arguments in, exit code out (tests call it directly). */
import { runCli, type CliDeclaration } from '@purchase/cli';
import * as apiBench from './api.bench';
import * as dataBench from './data.bench';
import * as evaluationBench from './evaluation.bench';
import * as featuresBench from './features.bench';
import * as inferenceBench from './inference.bench';
import * as modelsBench from './models.bench';
import * as tfjsFitBench from './tfjs-fit.bench';
import * as trainingRunBench from './training-run.bench';
import * as treesBench from './trees.bench';
import * as tuningBench from './tuning.bench';

export interface BenchSection {
  meaning: string;
  run: () => Promise<void>;
}

/** In the order `npm run bench` runs them. */
export const SECTIONS: Record<string, BenchSection> = {
  data: { meaning: 'the session generator on 1M rows, beside the same PRNG draws with no formatting', run: dataBench.run },
  features: { meaning: 'the feature transform on 1M records beside a copy and a read floor; the training reads (readDataset)', run: featuresBench.run },
  models: { meaning: 'tfjs logistic regression and dense net: fit and predict on the wasm and cpu backends', run: modelsBench.run },
  'tfjs-fit': {
    meaning: 'logistic regression (700k x 16) and the 64-32 dense net (45k x 60) fit beside scikit-learn, as installed and on one thread (when python3-sklearn is installed)',
    run: tfjsFitBench.run,
  },
  trees: {
    meaning: 'gradient-boosted trees on 1M sessions beside XGBoost hist on one thread (when python3-xgboost is installed)',
    run: treesBench.run,
  },
  tuning: {
    meaning:
      'gbdt untuned and tuned (--tune search under cross-validation) beside XGBoost with early stopping: test ROC AUC over split seeds 1-5 on the UCI file and 20k generated sessions; ECE before/after calibration (BENCH_TUNE_TRIALS, BENCH_SESSIONS)',
    run: tuningBench.run,
  },
  evaluation: {
    meaning: 'argsort, the metrics on 1M scores, bootstrap and permutation importance; scikit-learn when installed',
    run: evaluationBench.run,
  },
  training: {
    meaning:
      'the whole npm run train -- --models gbdt,lr on 1M generated sessions beside a pandas + scikit-learn + XGBoost pipeline: wall, peak RSS, test AUC, ratios (BENCH_RUNS, BENCH_10M=1, PEER_THREADS=1)',
    run: trainingRunBench.run,
  },
  inference: { meaning: 'PurchasePredictor per prediction and streaming CSV scoring of 1M rows, beside their floors', run: inferenceBench.run },
  api: { meaning: 'the REST API under load (autocannon) beside a bare node:http server', run: apiBench.run },
};

/** The bench CLI's arguments: what it parses and what `--help` prints. */
export function benchDeclaration(sections: Record<string, BenchSection>) {
  return {
    name: 'bench',
    command: 'npm run bench --',
    description:
      "Runs the benchmark sections and prints each one's table. Figures are ratios against a baseline run side by side " +
      'in the same process, because these machines are noisy.',
    options: {},
    positionals: {
      name: 'section',
      defaultText: 'all, in this order',
      choices: Object.fromEntries(Object.entries(sections).map(([name, s]) => [name, s.meaning])),
    },
  } satisfies CliDeclaration;
}

export function benchCli(argv: string[], sections: Record<string, BenchSection> = SECTIONS): Promise<number> {
  return runCli(benchDeclaration(sections), argv, async ({ positionals }) => {
    for (const name of positionals.length > 0 ? positionals : Object.keys(sections)) {
      console.log(`\n## ${name}\n`);
      await sections[name].run();
    }
  });
}
