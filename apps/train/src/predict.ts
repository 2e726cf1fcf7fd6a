/**
 * npm run predict -- --input FILE --output FILE [options]   (`npm run predict -- --help` lists them:
 * PREDICT_CLI in predict-cli.ts). Scores a CSV file with a published bundle. Exits 0 done, 1 failed,
 * 2 usage; 130 / 143 on SIGINT / SIGTERM, after removing its partial output files.
 */
import { exitOnSignal } from './exit-on-signal';
import { predictCli } from './predict-cli';

exitOnSignal('predict');
predictCli(process.argv.slice(2)).then((code) => process.exit(code));
