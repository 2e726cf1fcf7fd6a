/**
 * npm run predict -- --model models/current --input FILE --output FILE [--errors FILE]
 * Scores a CSV file with a published bundle, streaming, with a progress bar on stderr.
 * Exits 130 / 143 on SIGINT / SIGTERM, after removing its partial output files.
 */
import { parseArgs } from 'node:util';
import { BundleError, PurchasePredictor, scoreCsvFile } from '@purchase/inference';
import { removedTempsLine } from '@purchase/models';
import { exitOnSignal } from './exit-on-signal';
import { ProgressBar } from './progress-bar';

const USAGE = 'usage: npm run predict -- --model models/current --input FILE --output FILE [--errors FILE]';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      model: { type: 'string', default: 'models/current' },
      input: { type: 'string' },
      output: { type: 'string' },
      errors: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (!values.input || !values.output) throw new Error(`--input and --output are required\n${USAGE}`);

  const predictor = await PurchasePredictor.load(values.model).catch((err: unknown) => {
    if (err instanceof BundleError && err.missing) throw new Error(`${err.message}: train one first with npm run train`);
    throw err;
  });
  const { version, model_type, threshold } = predictor.info;
  process.stderr.write(`bundle ${version} (${model_type}, threshold ${threshold})\n`);

  const started = performance.now();
  const bar = new ProgressBar('score', 'kB');
  const result = await scoreCsvFile(predictor, values.input, values.output, {
    errorsPath: values.errors,
    onProgress: (p) => bar.update(kilobytes(p.bytesRead), kilobytes(p.totalBytes), `${count(p.rowsScored)} rows, ${count(p.rowsRejected)} rejected`),
  });
  const seconds = (performance.now() - started) / 1000;
  bar.finish(`${count(result.scored)} of ${count(result.rows)} rows scored in ${seconds.toFixed(1)} s (${count(Math.round(result.scored / seconds))} rows/s)`);
  console.error(`predictions: ${result.outputPath}`);
  console.error(`rejected rows: ${count(result.rejected)}${result.rejected > 0 ? `, see ${result.errorsPath}` : ''}`);
  if (result.removedTemps.length > 0) console.error(removedTempsLine(result.removedTemps, 'stale'));
}

const count = (n: number): string => n.toLocaleString('en-US');
const kilobytes = (bytes: number): number => Math.ceil(bytes / 1024);

exitOnSignal('predict');
main().catch((err: Error) => {
  console.error(`predict: ${err.message}`);
  process.exit(1);
});
