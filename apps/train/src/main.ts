/**
 * npm run train -- [options]   (see USAGE in cli-options.ts)
 * Trains every requested model on the data, selects one, and publishes a bundle under --out.
 * Exits 1 with one clear message when the data, the spec or an option is unusable; nothing is written then.
 */
import { trainCli } from './train-cli';

trainCli(process.argv.slice(2)).then((code) => process.exit(code));
