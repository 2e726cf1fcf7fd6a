/**
 * npm run train -- [options]   (see USAGE in cli-options.ts)
 * Trains every requested model on the data, selects one, and publishes a bundle under --out.
 * Exits 1 with one clear message when the data, the spec or an option is unusable; nothing is written then.
 * On SIGINT / SIGTERM while the bundle is being written, removes its temporary files and exits 130 / 143.
 */
import { exitOnSignal } from './exit-on-signal';
import { trainCli } from './train-cli';

exitOnSignal('train');
trainCli(process.argv.slice(2)).then((code) => process.exit(code));
