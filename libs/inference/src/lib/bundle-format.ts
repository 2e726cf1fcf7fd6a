/**
 * The on-disk shape of a model bundle, defined once: what training publishes and what inference
 * loads. A bundle is an immutable directory `models/<version>/`; `models/current` is a relative
 * symlink to the bundle being served.
 *
 *     manifest.json    BundleManifest below; lists every other file's SHA-256
 *     manifest.sha256  the SHA-256 of manifest.json (format version 2), written last
 *     pipeline.json    the fitted preprocessing + features (FeaturePipeline.toJSON())
 *     model/           the selected model in its own format (tfjs layers or trees JSON)
 *     candidates/<n>/  every trained model, same formats
 *     metrics.json     validation + test metrics per model (the training app's format)
 *     report.md, report.html
 */
import type { CalibrationMap, ModelDescription, ModelKind } from '@purchase/models';
import { parseSpec, type DatasetSpec } from '@purchase/preprocessing';
import { isObject, sha256 } from '@purchase/core';

export const BUNDLE_FORMAT = 'purchase-bundle';
/**
 * Bump when a reader of the previous version could misread a new bundle. 2: manifest.sha256 holds
 * the SHA-256 of manifest.json, so that the manifest (threshold, selected model) cannot be edited
 * undetected. Bundles of version 1 (no manifest.sha256) are still read.
 */
export const BUNDLE_FORMAT_VERSION = 2;
/** Every format version this build reads. */
export const READABLE_BUNDLE_VERSIONS: readonly number[] = [1, 2];

/** Fixed names inside a bundle directory (relative, `/`-separated). */
export const BUNDLE_FILES = {
  manifest: 'manifest.json',
  /** `<sha256 hex>  manifest.json`, as sha256sum writes it (`sha256sum -c manifest.sha256` checks it). */
  manifestHash: 'manifest.sha256',
  pipeline: 'pipeline.json',
  model: 'model',
  candidates: 'candidates',
  metrics: 'metrics.json',
  reportMarkdown: 'report.md',
  reportHtml: 'report.html',
} as const;

/** The content of manifest.sha256 for the bytes of a manifest.json. */
export function manifestHashLine(manifestBytes: Uint8Array): string {
  return `${sha256(manifestBytes)}  ${BUNDLE_FILES.manifest}\n`;
}

/** The symlink under the models directory that names the bundle in service. */
export const CURRENT_LINK = 'current';

/** Names usable as a bundle version or a candidate directory: one path segment, no surprises. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;

export interface BundleManifest {
  format: typeof BUNDLE_FORMAT;
  /** 1 (older bundles) or BUNDLE_FORMAT_VERSION. */
  formatVersion: 1 | typeof BUNDLE_FORMAT_VERSION;
  /** The directory name under models/, e.g. "20250101-120000-3fa9c1". */
  version: string;
  /** ISO 8601, UTC. */
  createdAt: string;
  /** The training data: its file name, SHA-256 of its bytes and number of data rows. */
  data: { file: string; sha256: string; rows: number };
  /** The dataset spec the pipeline was fitted with (checked with parseSpec when read). */
  spec: DatasetSpec;
  seed: number;
  packages: PackageVersions;
  model: SelectedModel;
  /** Every file of the bundle except manifest.json: relative `/`-separated path -> SHA-256 hex. */
  files: Record<string, string>;
}

export interface PackageVersions {
  tfjs: string;
  node: string;
  /** The version of this project (root package.json). */
  project: string;
}

/** The model in `model/`: which candidate it is, and how its probabilities become labels. */
export interface SelectedModel {
  kind: ModelKind;
  /** Name of its directory under candidates/. */
  candidate: string;
  /** purchase_prediction is 1 when purchase_probability >= threshold. */
  threshold: number;
  /** How the threshold was chosen, e.g. "f1-optimal on validation". */
  thresholdRule: string;
  description: ModelDescription;
  /** Headline test-split metrics of this model (e.g. roc_auc, f1), shown by the API's info. */
  metrics: Record<string, number>;
  /**
   * The map from the model's probabilities to the served ones, fitted on held-out predictions
   * (absent: served as the model gives them). The threshold applies to the calibrated probability.
   */
  calibration?: CalibrationMap;
}

/**
 * Thrown for anything wrong with a bundle on disk; `problems` lists each one found. `missing` is
 * true when there is no bundle at all (a fresh checkout: train one), false when one is broken.
 */
export class BundleError extends Error {
  constructor(
    readonly dir: string,
    readonly problems: string[],
    readonly missing = false,
  ) {
    super(missing ? `no bundle at ${dir}` : `bundle ${dir} is invalid: ${problems.join('; ')}`);
    this.name = 'BundleError';
  }
}

const MODEL_KINDS: readonly ModelKind[] = ['logistic_regression', 'mlp', 'gbdt', 'random_forest'];
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * Checks that `json` is a manifest this build can read and returns it typed. Problems are collected,
 * not thrown one at a time, so a broken manifest is described in one message.
 */
export function parseManifest(json: unknown): { manifest?: BundleManifest; problems: string[] } {
  const problems: string[] = [];
  const at = (field: string, what: string) => problems.push(`manifest.json: "${field}" ${what}`);
  if (!isObject(json)) return { problems: ['manifest.json: is not a JSON object'] };

  if (json.format !== BUNDLE_FORMAT) {
    return { problems: [`manifest.json: format is ${JSON.stringify(json.format)}, expected "${BUNDLE_FORMAT}"`] };
  }
  if (!READABLE_BUNDLE_VERSIONS.includes(json.formatVersion as number)) {
    return {
      problems: [
        `manifest.json: formatVersion ${JSON.stringify(json.formatVersion)} is not supported (this build reads ${READABLE_BUNDLE_VERSIONS.join(' and ')})`,
      ],
    };
  }
  if (typeof json.version !== 'string' || !SAFE_NAME.test(json.version)) at('version', 'must be a safe directory name');
  if (typeof json.createdAt !== 'string' || Number.isNaN(Date.parse(json.createdAt))) {
    at('createdAt', 'must be an ISO 8601 date');
  }
  const data = json.data;
  if (!isObject(data)) at('data', 'must be an object');
  else {
    if (typeof data.file !== 'string') at('data.file', 'must be a string');
    if (typeof data.sha256 !== 'string' || !SHA256_HEX.test(data.sha256)) at('data.sha256', 'must be a SHA-256 hex string');
    if (!isCount(data.rows)) at('data.rows', 'must be a non-negative integer');
  }
  let spec: DatasetSpec | undefined;
  try {
    spec = parseSpec(json.spec, 'manifest.json: "spec"');
  } catch (err) {
    problems.push((err as Error).message);
  }
  if (!Number.isInteger(json.seed)) at('seed', 'must be an integer');
  const packages = json.packages;
  if (!isObject(packages)) at('packages', 'must be an object');
  else {
    for (const name of ['tfjs', 'node', 'project'] as const) {
      if (typeof packages[name] !== 'string') at(`packages.${name}`, 'must be a string');
    }
  }
  const model = json.model;
  if (!isObject(model)) at('model', 'must be an object');
  else {
    if (!MODEL_KINDS.includes(model.kind as ModelKind)) at('model.kind', `must be one of ${MODEL_KINDS.join(', ')}`);
    if (typeof model.candidate !== 'string' || !SAFE_NAME.test(model.candidate)) {
      at('model.candidate', 'must be a safe directory name');
    }
    const t = model.threshold;
    if (typeof t !== 'number' || !(t >= 0 && t <= 1)) at('model.threshold', 'must be a number in [0, 1]');
    if (typeof model.thresholdRule !== 'string') at('model.thresholdRule', 'must be a string');
    if (!isObject(model.description)) at('model.description', 'must be an object');
    if (!isObject(model.metrics) || !Object.values(model.metrics).every((v) => typeof v === 'number')) {
      at('model.metrics', 'must map metric names to numbers');
    }
    if (model.calibration !== undefined) {
      const problem = calibrationProblem(model.calibration);
      if (problem) at('model.calibration', problem);
    }
  }
  const files = json.files;
  if (!isObject(files)) at('files', 'must be an object');
  else {
    for (const [file, hash] of Object.entries(files)) {
      if (!isSafeRelativePath(file)) problems.push(`manifest.json: file path "${file}" is not a relative path inside the bundle`);
      else if (typeof hash !== 'string' || !SHA256_HEX.test(hash)) problems.push(`manifest.json: ${file} has no valid SHA-256`);
    }
    for (const required of [BUNDLE_FILES.pipeline, BUNDLE_FILES.metrics]) {
      if (!(required in files)) problems.push(`manifest.json: does not list ${required}`);
    }
    if (!Object.keys(files).some((f) => f.startsWith(`${BUNDLE_FILES.model}/`))) {
      problems.push(`manifest.json: does not list any file under ${BUNDLE_FILES.model}/`);
    }
  }
  return problems.length > 0 ? { problems } : { manifest: { ...(json as unknown as BundleManifest), spec: spec as DatasetSpec }, problems };
}

/** Why a calibration map cannot be applied, or undefined when it can. */
function calibrationProblem(c: unknown): string | undefined {
  if (!isObject(c)) return 'must be an object';
  switch (c.method) {
    case 'none':
      return undefined;
    case 'platt':
      return Number.isFinite(c.a) && Number.isFinite(c.b) ? undefined : 'platt needs finite numbers a and b';
    case 'isotonic': {
      const { x, y } = c;
      if (!Array.isArray(x) || !Array.isArray(y) || x.length === 0 || x.length !== y.length) return 'isotonic needs arrays x and y of one length, not empty';
      for (let i = 0; i < x.length; i++) {
        if (!Number.isFinite(x[i]) || !(y[i] >= 0 && y[i] <= 1)) return `isotonic point ${i} is not a number with a probability`;
        if (i > 0 && (x[i] < x[i - 1] || y[i] < y[i - 1])) return 'isotonic points must be non-decreasing in x and y';
      }
      return undefined;
    }
    default:
      return `method must be none, platt or isotonic, got ${JSON.stringify(c.method)}`;
  }
}

/** `a/b.json` yes; `/a`, `../a`, `a/../../b`, `a\\b`, `` no. */
export function isSafeRelativePath(file: string): boolean {
  if (file.length === 0 || file.includes('\\') || file.includes('\0')) return false;
  return file.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}


function isCount(v: unknown): boolean {
  return Number.isInteger(v) && (v as number) >= 0;
}
