/**
 * A real bundle for tests: the pipeline and two models (tfjs logistic regression, gradient-boosted
 * trees) fitted on the bundled 500 sessions, published with publishBundle. Small and fast (~1 s).
 * publishDatasetBundle does the same for any data file and spec, e.g. the loyalty-visits fixture.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { FeaturePipeline } from '@purchase/features';
import { GradientBoostedTrees, LogisticRegression, type CalibrationMap } from '@purchase/models';
import { loadSpec, readDataset, type DatasetSpec, type RawRecord } from '@purchase/preprocessing';
import { sha256 } from '@purchase/core';
import { publishBundle, type PublishedBundle } from '../lib/publish-bundle';

const ROOT = path.resolve(__dirname, '../../../..');
export const SESSIONS_CSV = path.join(ROOT, 'data/raw/customer_sessions.csv');
export const SESSIONS_SPEC = path.join(ROOT, 'data/specs/customer-sessions.json');

/** The third schema, invented for the tests: `;`-separated, string ids, a category with a line break (tools/fixtures/loyalty-visits/README.md). */
const LOYALTY_DIR = path.join(ROOT, 'tools/fixtures/loyalty-visits');
export const LOYALTY_VISITS = {
  spec: path.join(LOYALTY_DIR, 'spec.json'),
  data: path.join(LOYALTY_DIR, 'visits.csv'),
  scoreMe: path.join(LOYALTY_DIR, 'score-me.csv'),
} as const;

export interface SessionsBundle {
  published: PublishedBundle;
  spec: DatasetSpec;
  /** The valid rows of the data file, in file order, with their ids and labels. */
  records: RawRecord[];
  ids: string[];
  labels: Uint8Array;
  /** The fitted objects that went into the bundle, still in memory. */
  pipeline: FeaturePipeline;
  selected: LogisticRegression | GradientBoostedTrees;
}

/** The valid rows of the sessions file, read as training reads them (readDataset). */
export async function readSessions(): Promise<{ spec: DatasetSpec; records: RawRecord[]; ids: string[]; labels: Uint8Array }> {
  const { spec, records, ids, labels } = await readDataset(SESSIONS_CSV, await loadSpec(SESSIONS_SPEC));
  return { spec, records, ids, labels };
}

export interface TestBundleOptions {
  version?: string;
  select?: 'lr' | 'gbdt';
  threshold?: number;
  calibration?: CalibrationMap;
}

export async function publishSessionsBundle(modelsDir: string, options: TestBundleOptions = {}): Promise<SessionsBundle> {
  return publishFitted(modelsDir, SESSIONS_CSV, await readSessions(), options);
}

/** The same bundle fitted on the valid rows of any data file, read as training reads it (readDataset, in the spec's dialect). */
export async function publishDatasetBundle(modelsDir: string, files: { data: string; spec: string }, options: TestBundleOptions = {}): Promise<SessionsBundle> {
  const { spec, records, ids, labels } = await readDataset(files.data, await loadSpec(files.spec));
  return publishFitted(modelsDir, files.data, { spec, records, ids, labels }, options);
}

async function publishFitted(
  modelsDir: string,
  dataFile: string,
  { spec, records, ids, labels }: Pick<SessionsBundle, 'spec' | 'records' | 'ids' | 'labels'>,
  options: TestBundleOptions,
): Promise<SessionsBundle> {
  const pipeline = FeaturePipeline.fit(spec, records);
  const X = pipeline.transform(records);
  const lr = new LogisticRegression({ C: 1 });
  await lr.fit(X, labels, { featureNames: [...X.columnNames] });
  const gbdt = new GradientBoostedTrees({ nEstimators: 30, maxDepth: 3, seed: 7 });
  await gbdt.fit(X, labels, { featureNames: [...X.columnNames] });
  const candidate = options.select ?? 'gbdt';
  const published = await publishBundle(modelsDir, {
    version: options.version,
    data: { file: path.basename(dataFile), sha256: sha256(await readFile(dataFile)), rows: records.length },
    spec,
    seed: 7,
    pipeline: pipeline.toJSON(),
    candidates: { lr, gbdt },
    selected: { candidate, threshold: options.threshold ?? 0.5, thresholdRule: 'fixed for tests', metrics: { roc_auc: 0.75 }, calibration: options.calibration },
    metrics: {},
    reportMarkdown: '# test bundle\n',
    reportHtml: '<html><body>test bundle</body></html>',
  });
  return { published, spec, records, ids, labels, pipeline, selected: candidate === 'lr' ? lr : gbdt };
}
