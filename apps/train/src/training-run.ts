import { randomBytes } from 'node:crypto';
import path from 'node:path';
import {
  alwaysPurchaseBaseline,
  bootstrapIntervals,
  chooseF1Threshold,
  chooseProfitThreshold,
  compareWithBaseline,
  evaluateScores,
  permutationImportance,
  pointBiserialCorrelations,
  precisionRecallCurve,
  profitAt,
  reliabilityTable,
  renderHtmlReport,
  renderMarkdownReport,
  rocCurve,
  selectBestModel,
  type CostTable,
  type EvaluationReport,
  type ModelReport,
  type SelectionMetric,
  type SplitMetrics,
  type ThresholdChoice,
} from '@purchase/evaluation';
import { FeaturePipeline, type FeatureMatrix } from '@purchase/features';
import { publishBundle, sha256File, type PublishedBundle } from '@purchase/inference';
import { removedTempsLine, type BinaryClassifier } from '@purchase/models';
import {
  formatReadReport,
  loadSpec,
  readDataset,
  stratifiedSplit,
  type DatasetSpec,
  type RawRecord,
} from '@purchase/preprocessing';
import { CANDIDATES, type CandidateName } from './candidates';
import { formatComparisonTable } from './comparison-table';
import { ProgressBar } from './progress-bar';

export type ThresholdRule = 'f1' | 'profit';

export interface TrainOptions {
  data: string;
  spec: string;
  /** The models directory: bundles go to <out>/<version>, and <out>/current is switched to the new one. */
  out: string;
  seed: number;
  models: CandidateName[];
  select: SelectionMetric;
  thresholdRule: ThresholdRule;
  /** Largest share of data rows that may be rejected by validation before the run refuses to train. */
  maxRejected: number;
  /** Overrides of the spec's cost table. */
  costs?: Partial<CostTable>;
  /** Bootstrap resamples for the confidence intervals. */
  resamples: number;
  log: (line: string) => void;
}

/** Used when neither the spec nor the command line gives a cost table. */
export const DEFAULT_COSTS: CostTable = { foundPurchaseValue: 10, nonBuyerTargetingCost: 2 };

interface TrainedCandidate {
  name: CandidateName;
  model: BinaryClassifier;
  fitSeconds: number;
  thresholds: { f1: ThresholdChoice; profit: ThresholdChoice };
  threshold: number;
  metrics: { validation: SplitMetrics; test: SplitMetrics };
  scores: { validation: Float32Array; test: Float32Array };
}

export interface TrainResult {
  bundle: PublishedBundle;
  selected: CandidateName;
  comparison: string;
  /** What metrics.json holds. */
  metrics: TrainingMetrics;
}

/** metrics.json of a bundle: per model, validation and test metrics, thresholds and intervals. */
export interface TrainingMetrics {
  selection: { metric: SelectionMetric; chosenOn: string; selected: string; ranking: { name: string; value: number }[] };
  thresholdRule: ThresholdRule;
  costs: CostTable;
  baseline: { validation: SplitMetrics; test: SplitMetrics };
  models: Record<
    string,
    {
      kind: string;
      fitSeconds: number;
      threshold: number;
      thresholds: { f1: number; profit: number };
      validation: SplitMetrics;
      test: SplitMetrics;
      intervals: ModelReport['intervals'];
      beatsBaselineOnTest: ReturnType<typeof compareWithBaseline>;
    }
  >;
}

function pick<T>(items: readonly T[], indices: Uint32Array): T[] {
  const out = new Array<T>(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = items[indices[i]];
  return out;
}

function pickLabels(labels: Uint8Array, indices: Uint32Array): Uint8Array {
  const out = new Uint8Array(indices.length);
  for (let i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
  return out;
}

function costTable(spec: DatasetSpec, overrides: Partial<CostTable> = {}): CostTable {
  return {
    foundPurchaseValue: overrides.foundPurchaseValue ?? spec.costs?.foundPurchaseValue ?? DEFAULT_COSTS.foundPurchaseValue,
    nonBuyerTargetingCost:
      overrides.nonBuyerTargetingCost ?? spec.costs?.nonBuyerTargetingCost ?? DEFAULT_COSTS.nonBuyerTargetingCost,
  };
}

/** Raw numeric input columns of the training split, NaN where missing: the reference's correlation table. */
function numericColumns(spec: DatasetSpec, records: readonly RawRecord[]) {
  return spec.columns
    .filter((c) => c.type === 'number' || c.type === 'integer' || c.type === 'boolean')
    .map((c) => {
      const values = new Float64Array(records.length);
      for (let i = 0; i < records.length; i++) {
        const v = records[i][c.name];
        values[i] = typeof v === 'number' ? v : typeof v === 'boolean' ? Number(v) : NaN;
      }
      return { name: c.name, values };
    });
}

/**
 * One training run: validate the data, split, fit the pipeline, train every candidate, choose
 * thresholds on validation, select, evaluate on test, and publish a bundle with its report.
 * Throws (and writes nothing) when the data or spec is unusable.
 */
export async function runTraining(options: TrainOptions): Promise<TrainResult> {
  const { log, seed } = options;
  const spec = await loadSpec(options.spec);
  const read = await readDataset(options.data, spec);
  const total = read.report.dataLines;
  if (read.records.length === 0) throw new Error(`${options.data}: no usable rows (${read.rejected.length} rejected)`);
  if (read.rejected.length > options.maxRejected * total) {
    log(formatReadReport(read));
    throw new Error(
      `${options.data}: ${read.rejected.length} of ${total} rows rejected, more than --max-rejected ${options.maxRejected}; fix the data or raise the limit`,
    );
  }

  const split = stratifiedSplit(read.labels, { seed });
  const trainRecords = pick(read.records, split.train);
  const pipeline = FeaturePipeline.fit(spec, trainRecords);
  log(formatReadReport(read, pipeline.imputer));

  const y = {
    train: pickLabels(read.labels, split.train),
    validation: pickLabels(read.labels, split.validation),
    test: pickLabels(read.labels, split.test),
  };
  const X: Record<'train' | 'validation' | 'test', FeatureMatrix> = {
    train: pipeline.transform(trainRecords),
    validation: pipeline.transform(pick(read.records, split.validation)),
    test: pipeline.transform(pick(read.records, split.test)),
  };
  log(
    `split (seed ${seed}, stratified 70/15/15): train ${split.train.length}, validation ${split.validation.length}, test ${split.test.length}; ${pipeline.width} features`,
  );

  const costs = costTable(spec, options.costs);
  const featureNames = [...pipeline.columnNames];
  const trained: TrainedCandidate[] = [];
  for (const name of options.models) {
    const model = CANDIDATES[name].create(seed);
    const bar = new ProgressBar(name, { lr: 'iterations', mlp: 'epochs', gbdt: 'trees', rf: 'trees' }[name]);
    const started = performance.now();
    await model.fit(X.train, y.train, {
      validation: { X: X.validation, y: y.validation },
      featureNames,
      onProgress: (p) =>
        bar.update(p.step, p.totalSteps, p.validationLoss === undefined ? '' : `val loss ${p.validationLoss.toFixed(4)}`),
    });
    const fitSeconds = (performance.now() - started) / 1000;
    bar.finish(`fitted in ${fitSeconds.toFixed(2)} s`);
    const scores = { validation: model.predictProba(X.validation), test: model.predictProba(X.test) };
    const thresholds = {
      f1: chooseF1Threshold(y.validation, scores.validation),
      profit: chooseProfitThreshold(y.validation, scores.validation, costs),
    };
    const threshold = thresholds[options.thresholdRule].threshold;
    trained.push({
      name,
      model,
      fitSeconds,
      thresholds,
      threshold,
      scores,
      metrics: {
        validation: evaluateScores(y.validation, scores.validation, threshold),
        test: evaluateScores(y.test, scores.test, threshold),
      },
    });
  }

  const selection = selectBestModel(
    trained.map((t) => ({
      name: t.name,
      metrics: {
        f1: t.metrics.validation.f1,
        rocAuc: t.metrics.validation.rocAuc,
        prAuc: t.metrics.validation.prAuc,
        logLoss: t.metrics.validation.logLoss,
        profit: profitAt(t.metrics.validation, costs),
      },
    })),
    options.select,
  );
  const selected = trained[selection.index];
  const baseline = { validation: alwaysPurchaseBaseline(y.validation), test: alwaysPurchaseBaseline(y.test) };

  const models: ModelReport[] = trained.map((t) => ({
    name: t.name,
    description: CANDIDATES[t.name].label,
    metrics: t.metrics,
    intervals: { ...bootstrapIntervals(y.test, t.scores.test, { threshold: t.threshold, seed, resamples: options.resamples }), split: 'test' },
    thresholds: (['f1', 'profit'] as const).map((rule) => ({
      rule,
      threshold: t.thresholds[rule].threshold,
      chosenOn: 'validation',
      evaluatedOn: 'test',
      metrics: evaluateScores(y.test, t.scores.test, t.thresholds[rule].threshold),
    })),
    curves: { split: 'test', roc: rocCurve(y.test, t.scores.test), pr: precisionRecallCurve(y.test, t.scores.test) },
    calibration: { split: 'test', strategy: 'uniform', bins: reliabilityTable(y.test, t.scores.test, { bins: 10 }) },
    permutationImportance: {
      ...permutationImportance(t.model, X.validation, y.validation, { seed, repeats: 5, columnNames: featureNames }),
      split: 'validation',
    },
  }));

  const dataSha256 = await sha256File(options.data);
  const createdAt = new Date();
  const version = `${createdAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15)}-${randomBytes(3).toString('hex')}`;
  const report: EvaluationReport = {
    title: `Purchase prediction: ${spec.name}`,
    createdAt: createdAt.toISOString(),
    version,
    dataset: {
      name: path.basename(options.data),
      sha256: dataSha256,
      splits: (['train', 'validation', 'test'] as const).map((s) => ({
        name: s,
        rows: y[s].length,
        positives: y[s].reduce((a, b) => a + b, 0),
      })),
      features: featureNames,
    },
    splits: ['validation', 'test'],
    selection: { metric: options.select, chosenOn: 'validation', selected: selected.name },
    models,
    baseline,
    costs,
    impactSplit: 'test',
    correlations: pointBiserialCorrelations(numericColumns(spec, trainRecords), y.train),
    modelCard: {
      intendedUse:
        'Score a browsing session for the probability that it ends in a purchase, to decide whom to target (offers, ' +
        'assistance) at the threshold shown. A decision aid for marketing, not for decisions with legal or similar effect on a person.',
      data: `${path.basename(options.data)} (SHA-256 ${dataSha256.slice(0, 12)}…), ${read.records.length} rows kept of ${total}; spec "${spec.name}". Split 70/15/15 stratified, seed ${seed}.`,
      limitations: [
        'Trained on one dataset: scores are calibrated to its purchase rate and may not transfer to other shops or seasons.',
        'Missing values are imputed with training statistics; a session with many missing fields gets a less informed score.',
        'Small validation and test splits give wide confidence intervals; read the intervals, not only the point estimates.',
      ],
      outOfScope: ['Credit, pricing or any decision about an individual beyond marketing contact.'],
    },
  };

  const metrics: TrainingMetrics = {
    selection: { metric: options.select, chosenOn: 'validation', selected: selected.name, ranking: selection.ranking },
    thresholdRule: options.thresholdRule,
    costs,
    baseline,
    models: Object.fromEntries(
      trained.map((t, i) => [
        t.name,
        {
          kind: t.model.kind,
          fitSeconds: t.fitSeconds,
          threshold: t.threshold,
          thresholds: { f1: t.thresholds.f1.threshold, profit: t.thresholds.profit.threshold },
          validation: t.metrics.validation,
          test: t.metrics.test,
          intervals: models[i].intervals,
          beatsBaselineOnTest: compareWithBaseline(t.metrics.test, baseline.test),
        },
      ]),
    ),
  };

  const bundle = await publishBundle(options.out, {
    version,
    createdAt,
    data: { file: path.basename(options.data), sha256: dataSha256, rows: read.records.length },
    spec,
    seed,
    pipeline: pipeline.toJSON(),
    candidates: Object.fromEntries(trained.map((t) => [t.name, t.model])),
    selected: {
      candidate: selected.name,
      threshold: selected.threshold,
      thresholdRule: `${options.thresholdRule}-optimal on validation`,
      metrics: {
        roc_auc: selected.metrics.test.rocAuc,
        pr_auc: selected.metrics.test.prAuc,
        f1: selected.metrics.test.f1,
        accuracy: selected.metrics.test.accuracy,
        log_loss: selected.metrics.test.logLoss,
      },
    },
    metrics,
    reportMarkdown: renderMarkdownReport(report),
    reportHtml: renderHtmlReport(report),
  });
  for (const t of trained) t.model.dispose();

  const comparison = formatComparisonTable(
    trained.map((t) => ({ name: t.name, threshold: t.threshold, fitSeconds: t.fitSeconds, ...t.metrics })),
    baseline,
    selected.name,
  );
  const verdict = compareWithBaseline(selected.metrics.test, baseline.test).verdict;
  log(comparison);
  log(`selected: ${selected.name} by validation ${options.select}; on test it ${verdict}`);
  log(`bundle: ${bundle.dir} (version ${bundle.version}); ${path.join(options.out, 'current')} -> ${bundle.version}`);
  if (bundle.removedTemps.length > 0) log(removedTempsLine(bundle.removedTemps, 'stale'));
  return { bundle, selected: selected.name, comparison, metrics };
}
