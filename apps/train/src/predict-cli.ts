/** The predict CLI as a function: arguments in, exit code out (tests call it directly). */
import { BundleError, defaultErrorsPath, mergeScoredParts, parseShard, partPath, PurchasePredictor, scoreCsvFile } from '@purchase/inference';
import { removedTempsLine } from '@purchase/core';
import { runCli, UsageError, type CliDeclaration } from '@purchase/cli';
import { delimiterArgument, delimiterOption } from './delimiter-option';
import { ProgressBar } from './progress-bar';

/** The predict CLI's options: what it parses and what `--help` prints. */
export const PREDICT_CLI = {
  name: 'predict',
  command: 'npm run predict --',
  description: 'Scores a CSV file of sessions with a published bundle, streaming, with a progress bar on stderr.',
  options: {
    model: { type: 'string', value: 'DIR', default: 'models/current', meaning: 'the bundle to score with' },
    input: { type: 'string', value: 'FILE', required: true, meaning: "CSV of sessions with a header line, in the columns of the bundle's spec" },
    output: {
      type: 'string',
      value: 'FILE',
      required: true,
      meaning: 'scored CSV: the id column, purchase_probability, purchase_prediction, prediction_confidence',
    },
    delimiter: delimiterOption("the bundle's spec"),
    errors: {
      type: 'string',
      value: 'FILE',
      defaultText: '--output with .errors.csv in place of .csv',
      meaning:
        'rejected rows with line number, column, rule and reason; written only when a row is rejected, and removed ' +
        'when none is, so that one an earlier run left never speaks of these predictions',
    },
    shard: {
      type: 'string',
      value: 'SHARD',
      defaultText: 'the whole file',
      meaning:
        'i/n: score only shard i of n (from 0) of --input: its bytes cut at record starts, so no shard reads the whole file; writes ' +
        '<output>.part-<i> (and <errors>.part-<i>, and a .json manifest beside it); n alone takes i from JOB_COMPLETION_INDEX (a Kubernetes Indexed Job)',
    },
    merge: {
      type: 'boolean',
      meaning:
        'instead of scoring, join the parts that --shard runs wrote for --output into --output and its errors file, in input order, ' +
        'lines renumbered; refuses parts that do not tile --input exactly',
    },
  },
} as const satisfies CliDeclaration;

export function predictCli(argv: string[]): Promise<number> {
  return runCli(PREDICT_CLI, argv, async ({ values }) => {
    if (values.merge) {
      if (values.shard !== undefined) throw new UsageError('--merge joins the parts of every shard: it takes no --shard');
      const merged = await mergeScoredParts(values.output, { errorsPath: values.errors, input: values.input });
      console.error(`merged ${merged.parts} parts: ${count(merged.scored)} of ${count(merged.rows)} rows scored; predictions: ${merged.outputPath}`);
      console.error(merged.rejected > 0 ? `rejected rows: ${count(merged.rejected)}, see ${merged.errorsPath}` : 'no rows rejected');
      return;
    }
    let shard: ReturnType<typeof parseShard> | undefined;
    if (values.shard !== undefined) {
      try {
        shard = parseShard(values.shard);
      } catch (err) {
        throw new UsageError((err as Error).message);
      }
    }
    const output = shard ? partPath(values.output, shard.index) : values.output;
    const errorsPath = shard && values.errors !== undefined ? partPath(values.errors, shard.index) : values.errors;
    const delimiter = delimiterArgument(values.delimiter);
    const predictor = await PurchasePredictor.load(values.model).catch((err: unknown) => {
      if (err instanceof BundleError && err.missing) throw new Error(`${err.message}: train one first with npm run train`);
      throw err;
    });
    const { version, model_type, threshold } = predictor.info;
    process.stderr.write(`bundle ${version} (${model_type}, threshold ${threshold})\n`);

    const started = performance.now();
    const bar = new ProgressBar('score', 'kB');
    const result = await scoreCsvFile(predictor, values.input, output, {
      errorsPath: errorsPath ?? (shard ? partPath(defaultErrorsPath(values.output), shard.index) : undefined),
      ...(shard ? { shard } : {}),
      ...(delimiter === undefined ? {} : { delimiter }),
      onProgress: (p) => bar.update(kilobytes(p.bytesRead), kilobytes(p.totalBytes), `${count(p.rowsScored)} rows, ${count(p.rowsRejected)} rejected`),
    });
    const seconds = (performance.now() - started) / 1000;
    bar.finish(`${count(result.scored)} of ${count(result.rows)} rows scored in ${seconds.toFixed(1)} s (${count(Math.round(result.scored / seconds))} rows/s)`);
    if (result.shard) console.error(`shard ${result.shard.index}/${result.shard.count}: bytes ${result.shard.start} to ${result.shard.end} of ${result.shard.size}`);
    console.error(`predictions: ${result.outputPath}`);
    console.error(result.rejected > 0 ? `rejected rows: ${count(result.rejected)}, see ${result.errorsPath}` : 'no rows rejected');
    if (result.removedTemps.length > 0) console.error(removedTempsLine(result.removedTemps, 'stale'));
  });
}

const count = (n: number): string => n.toLocaleString('en-US');
const kilobytes = (bytes: number): number => Math.ceil(bytes / 1024);
