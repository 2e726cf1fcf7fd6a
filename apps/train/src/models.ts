/**
 * npm run models -- COMMAND [ARG ...] [options]   (`npm run models -- --help` lists them: MODELS_CLI
 * in models-cli.ts). The models directory as a registry. Exits 0 done, 1 failed, 2 usage.
 */
import { modelsCli } from './models-cli';

modelsCli(process.argv.slice(2)).then((code) => process.exit(code));
