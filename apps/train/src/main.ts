/**
 * npm run train -- [options]   (`npm run train -- --help` lists them: TRAIN_CLI in cli-options.ts)
 * Trains every requested model on the data, selects one, and publishes a bundle under --out; with
 * --from-bundle, publishes a bundle trained before. Exits 0 done, 1 failed (the data, the spec or the
 * bundle is unusable; nothing is written then), 2 usage. On SIGINT / SIGTERM while the bundle is
 * being written, removes its temporary files and exits 130 / 143.
 */
import { exitOnSignal } from './exit-on-signal';
import { trainCli } from './train-cli';

exitOnSignal('train');
trainCli(process.argv.slice(2)).then((code) => process.exit(code));
