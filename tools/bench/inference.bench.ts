import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { FeaturePipeline } from '@purchase/features';
import { PurchasePredictor, publishBundle, scoreCsvFile } from '@purchase/inference';
import { sha256 } from '@purchase/core';
import { GradientBoostedTrees, LogisticRegression, type BinaryClassifier } from '@purchase/models';
import { csvDialectOf, loadSpec, readCsvRecords, readDataset, RowCoercer, type DatasetSpec } from '@purchase/preprocessing';
import { generateSessionsCsv, sessionChunks } from '../generate-data/sessions';
import { printTable, timeMs } from './table';

const FIT_ROWS = 20_000;
const CSV_ROWS = 1_000_000;

/**
 * libs/inference: the cost of a prediction through PurchasePredictor (validate, transform into the
 * reused buffer, predictProba, decide) beside its floor, the fitted pipeline and model called
 * directly; then streaming CSV scoring of 1M rows beside the floor of reading the same file into
 * records with the reader scoreCsvFile uses (readCsvRecords), with the memory it takes (peak RSS
 * growth while scoring).
 */
export async function run(): Promise<void> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'inference-bench-'));
  try {
    const spec = await loadSpec('data/specs/customer-sessions.json');
    const fitCsv = path.join(dir, 'fit.csv');
    await writeFile(fitCsv, generateSessionsCsv({ rows: FIT_ROWS, seed: 11 }));
    const train = await readDataset(fitCsv, spec);
    const pipeline = FeaturePipeline.fit(spec, train.records);
    const X = pipeline.transform(train.records);
    const models: Record<string, BinaryClassifier> = {
      lr: new LogisticRegression({ C: 1 }),
      // The trainer's configuration, at the number of trees its early stopping keeps on the sessions data.
      gbdt: new GradientBoostedTrees({ nEstimators: 120, learningRate: 0.05, maxDepth: 4, subsample: 0.8, colsampleByTree: 0.8, seed: 42 }),
    };
    for (const model of Object.values(models)) await model.fit(X, train.labels);

    const csv = path.join(dir, 'sessions.csv');
    await writeFile(csv, sessionChunks({ rows: CSV_ROWS, seed: 12 }));
    const sample = train.records.slice(0, 1000);
    const perCall: Record<string, string | number>[] = [];
    const scoring: Record<string, string | number>[] = [];
    const floorSeconds = await readFloor(csv, spec);
    scoring.push({
      step: 'read + parse records (readCsvRecords, floor)',
      rows: CSV_ROWS,
      seconds: floorSeconds.parse,
      'rows/s': CSV_ROWS / floorSeconds.parse,
      ratio: 1,
      'RSS growth MB': '',
    });
    scoring.push({
      step: '+ check rows (RowCoercer)',
      rows: CSV_ROWS,
      seconds: floorSeconds.coerce,
      'rows/s': CSV_ROWS / floorSeconds.coerce,
      ratio: floorSeconds.coerce / floorSeconds.parse,
    });

    for (const [name, model] of Object.entries(models)) {
      const modelsDir = path.join(dir, `models-${name}`);
      await publishBundle(modelsDir, {
        data: { file: 'generated', sha256: sha256(''), rows: FIT_ROWS },
        spec,
        seed: 11,
        pipeline: pipeline.toJSON(),
        candidates: { [name]: model },
        selected: { candidate: name, threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
        metrics: {},
        reportMarkdown: '',
        reportHtml: '',
      });
      const loadMs = await timeMs(async () => (await PurchasePredictor.load(path.join(modelsDir, 'current'))).dispose(), 3);
      const predictor = await PurchasePredictor.load(path.join(modelsDir, 'current'));

      const one = sample[0];
      const oneFloor = await timeMs(() => model.predictProba(pipeline.transform([one])), 2001);
      const oneMs = await timeMs(() => predictor.predictOne(one), 2001);
      const batchFloor = await timeMs(() => model.predictProba(pipeline.transform(sample)), 51);
      const batchMs = await timeMs(() => predictor.predictMany(sample), 51);
      perCall.push(
        { model: name, call: 'predictOne', rows: 1, 'µs/call': oneMs * 1000, 'floor µs': oneFloor * 1000, ratio: oneMs / oneFloor, 'rows/s': 1000 / oneMs, 'load bundle ms': loadMs },
        {
          model: name,
          call: 'predictMany',
          rows: sample.length,
          'µs/call': batchMs * 1000,
          'floor µs': batchFloor * 1000,
          ratio: batchMs / batchFloor,
          'rows/s': sample.length / (batchMs / 1000),
        },
      );

      const rssBefore = process.memoryUsage().rss;
      let rssPeak = rssBefore;
      const t = performance.now();
      const result = await scoreCsvFile(predictor, csv, path.join(dir, `scored-${name}.csv`), {
        onProgress: () => {
          rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        },
      });
      const seconds = (performance.now() - t) / 1000;
      scoring.push({
        step: `scoreCsvFile, ${name}`,
        rows: result.scored,
        seconds,
        'rows/s': result.scored / seconds,
        ratio: seconds / floorSeconds.parse,
        'RSS growth MB': (rssPeak - rssBefore) / 1e6,
      });
      predictor.dispose();
    }
    printTable(perCall);
    console.log(`\nfloor: the fitted pipeline's transform and the model's predictProba called directly (no validation, no decide).\n`);
    printTable(scoring);
    console.log(`\n${CSV_ROWS.toLocaleString('en-US')} rows, ${((await stat(csv)).size / 1e6).toFixed(1)} MB of CSV; batches of 4096 rows.`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Seconds to read the file into records with the reader scoreCsvFile uses (readCsvRecords over the
 * file's byte stream, in the spec's dialect), then also to check each row.
 */
async function readFloor(file: string, spec: DatasetSpec): Promise<{ parse: number; coerce: number }> {
  const dialect = csvDialectOf(spec);
  const pass = async (check: boolean): Promise<number> => {
    const t = performance.now();
    let coercer: RowCoercer | undefined;
    let sink = 0;
    for await (const batch of readCsvRecords(createReadStream(file), { dialect })) {
      for (const cells of batch.records) {
        if (coercer === undefined) coercer = RowCoercer.forHeader(spec, cells, file, { target: 'ignore' });
        else if (check) sink += coercer.coerce(cells).ok ? 1 : 0;
        else sink += cells.length;
      }
    }
    if (sink < 0) throw new Error('unreachable');
    return (performance.now() - t) / 1000;
  };
  return { parse: await pass(false), coerce: await pass(true) };
}
