import { randomBytes } from 'node:crypto';
import { cp, lstat, mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { type CalibrationMap, type ModelDescription, type ModelKind } from '@purchase/models';
import { type RemovedTemp, removeStaleTemps, sha256, tempPrefix, writeFileAtomic, writeJsonAtomic, writeViaTemp } from '@purchase/core';
import type { DatasetSpec } from '@purchase/preprocessing';
import {
  BUNDLE_FILES,
  BUNDLE_FORMAT,
  BUNDLE_FORMAT_VERSION,
  CURRENT_LINK,
  manifestHashLine,
  SAFE_NAME,
  type BundleManifest,
  type PackageVersions,
} from './bundle-format';
import { listBundleTree } from './bundle-files';
import { packageVersions } from './package-versions';
import { pointCurrent } from './registry';
import { loadBundle } from './verify-bundle';

/** What a bundle needs of a trained model: it saves itself in its own format. */
export interface BundleModel {
  readonly kind: ModelKind;
  describe(): ModelDescription;
  save(dir: string): Promise<void>;
}

/** Everything the training app hands over; publishBundle lays it out and writes the manifest. */
export interface BundleContent {
  /** Directory name under the models directory; default: UTC time of createdAt plus a random suffix. */
  version?: string;
  createdAt?: Date;
  data: BundleManifest['data'];
  spec: DatasetSpec;
  seed: number;
  /** FeaturePipeline.toJSON() of the fitted pipeline. */
  pipeline: unknown;
  /** Every trained model by name; each is saved under candidates/<name>/. */
  candidates: Record<string, BundleModel>;
  /** Which candidate is served (copied to model/) and at what threshold. */
  selected: { candidate: string; threshold: number; thresholdRule: string; metrics: Record<string, number>; calibration?: CalibrationMap };
  /** metrics.json: the training app's own shape. */
  metrics: unknown;
  reportMarkdown: string;
  reportHtml: string;
  /** Overrides of the detected versions (tests, reproducing an old run). */
  packages?: Partial<PackageVersions>;
}

export interface PublishedBundle {
  version: string;
  /** models/<version>, now also the target of models/current. */
  dir: string;
  manifest: BundleManifest;
  /** Leftovers of interrupted publishes that were removed from the models directory first. */
  removedTemps: RemovedTemp[];
}

/** A bundle is built (or imported, see import-bundle.ts) at `.publish-<version>.tmp-<owner>` in the models directory. */
export const PUBLISH_TEMP = 'publish-';

/**
 * Publishes a bundle under `modelsDir`: everything is written into a hidden temporary directory,
 * hashed, the manifest written last, the result verified as a reader would, then renamed to
 * `<modelsDir>/<version>`; only then is `<modelsDir>/current` switched to it, atomically. A throw
 * at any step removes the temporary directory: `current` is untouched and no half bundle ever
 * carries a final name. A killed process can leave a hidden `.publish-*` directory behind, never more;
 * the next publish removes such leftovers of dead processes first (see removeStaleTemps) and
 * returns what it removed.
 */
export async function publishBundle(modelsDir: string, content: BundleContent): Promise<PublishedBundle> {
  const createdAt = content.createdAt ?? new Date();
  const version = content.version ?? defaultVersion(createdAt);
  checkNames(version, content);

  await mkdir(modelsDir, { recursive: true });
  const finalDir = path.join(modelsDir, version);
  if (await exists(finalDir)) throw new Error(`bundle version ${version} already exists in ${modelsDir}`);

  const removedTemps = await removeStaleTemps(modelsDir, [`.${PUBLISH_TEMP}`, tempPrefix(CURRENT_LINK)]);
  const build = async (tmp: string): Promise<BundleManifest> => {
    // mkdir, not mkdtemp: a bundle gets the usual permissions (umask), not mkdtemp's owner-only 0700.
    await mkdir(tmp);
    await writeJsonAtomic(path.join(tmp, BUNDLE_FILES.pipeline), content.pipeline);
    await writeJsonAtomic(path.join(tmp, BUNDLE_FILES.metrics), content.metrics);
    await writeFileAtomic(path.join(tmp, BUNDLE_FILES.reportMarkdown), content.reportMarkdown);
    await writeFileAtomic(path.join(tmp, BUNDLE_FILES.reportHtml), content.reportHtml);
    for (const [name, model] of Object.entries(content.candidates)) {
      await model.save(path.join(tmp, BUNDLE_FILES.candidates, name));
    }
    // A byte copy, not a second save: model/ is provably the candidate that was evaluated.
    const { candidate } = content.selected;
    await cp(path.join(tmp, BUNDLE_FILES.candidates, candidate), path.join(tmp, BUNDLE_FILES.model), {
      recursive: true,
    });

    const { threshold, thresholdRule, metrics, calibration } = content.selected;
    const selectedModel = content.candidates[candidate];
    const manifest: BundleManifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      version,
      createdAt: createdAt.toISOString(),
      data: content.data,
      spec: content.spec,
      seed: content.seed,
      packages: { ...(await packageVersions()), ...content.packages },
      model: {
        kind: selectedModel.kind,
        candidate,
        threshold,
        thresholdRule,
        description: selectedModel.describe(),
        metrics,
        ...(calibration && calibration.method !== 'none' ? { calibration } : {}),
      },
      files: await hashTree(tmp),
    };
    await writeJsonAtomic(path.join(tmp, BUNDLE_FILES.manifest), manifest);
    await writeFileAtomic(path.join(tmp, BUNDLE_FILES.manifestHash), manifestHashLine(await readFile(path.join(tmp, BUNDLE_FILES.manifest))));
    await loadBundle(tmp);
    return manifest;
  };
  const manifest = await writeViaTemp(path.join(modelsDir, PUBLISH_TEMP + version), build, (tmp) => rename(tmp, finalDir));
  await pointCurrent(modelsDir, version, 'publish', { verified: true });
  return { version, dir: finalDir, manifest, removedTemps };
}

async function hashTree(dir: string): Promise<Record<string, string>> {
  const { files, others } = await listBundleTree(dir);
  if (others.length > 0) throw new Error(`a bundle holds regular files only; found ${others.join(', ')}`);
  const hashes: Record<string, string> = {};
  for (const file of files) hashes[file] = sha256(await readFile(path.join(dir, ...file.split('/'))));
  return hashes;
}

function checkNames(version: string, content: BundleContent): void {
  if (!SAFE_NAME.test(version) || version === CURRENT_LINK) {
    throw new Error(`bundle version "${version}" must be letters, digits, ".", "_" or "-" (and not "${CURRENT_LINK}")`);
  }
  const names = Object.keys(content.candidates);
  for (const name of names) {
    if (!SAFE_NAME.test(name)) throw new Error(`candidate name "${name}" must be letters, digits, ".", "_" or "-"`);
  }
  if (!names.includes(content.selected.candidate)) {
    throw new Error(`selected candidate "${content.selected.candidate}" is not among the candidates (${names.join(', ')})`);
  }
  const t = content.selected.threshold;
  if (!(t >= 0 && t <= 1)) throw new Error(`threshold must be in [0, 1], got ${t}`);
}

/** e.g. 20250101-120000-3fa9c1: sorts by time, and two runs in the same second still differ. */
function defaultVersion(createdAt: Date): string {
  const stamp = createdAt.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `${stamp}-${randomBytes(3).toString('hex')}`;
}

async function exists(file: string): Promise<boolean> {
  return lstat(file).then(
    () => true,
    (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') return false;
      throw err;
    },
  );
}

/** Makes the renames in a directory durable across a power cut. */
