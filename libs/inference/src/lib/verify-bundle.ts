import { readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import { BUNDLE_FILES, BundleError, manifestHashLine, parseManifest, type BundleManifest } from './bundle-format';
import { listBundleTree } from './bundle-files';
import { sha256 } from '@purchase/core';

/** A bundle whose manifest, hashes and file list all check out. */
export interface VerifiedBundle {
  /** The bundle's real directory (a `models/current` symlink resolved to `models/<version>`). */
  dir: string;
  manifest: BundleManifest;
  /** The selected model's directory, for the models lib's loader. */
  modelDir: string;
  /** pipeline.json parsed from the very bytes that were hashed (no re-read between check and use). */
  pipeline: unknown;
}

/**
 * Reads and checks the bundle at `dir`: format and format version, the manifest against its own
 * SHA-256 in manifest.sha256 (format version 2: an edited threshold is refused), every SHA-256
 * listed in the manifest, no listed file missing and no unlisted file present. Throws a BundleError naming every
 * problem found, each with the file concerned.
 */
export async function loadBundle(dir: string): Promise<VerifiedBundle> {
  let real: string;
  try {
    real = await realpath(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw new BundleError(dir, ['the directory does not exist'], true);
    throw new BundleError(dir, [ioProblem(err, 'the directory')]);
  }

  let manifestJson: unknown;
  let manifestBytes: Buffer;
  try {
    manifestBytes = await readFile(path.join(real, BUNDLE_FILES.manifest));
    manifestJson = JSON.parse(manifestBytes.toString('utf8'));
  } catch (err) {
    throw new BundleError(dir, [ioProblem(err, BUNDLE_FILES.manifest)]);
  }
  const { manifest, problems } = parseManifest(manifestJson);
  if (!manifest) throw new BundleError(dir, problems);
  if (manifest.formatVersion >= 2) {
    const recorded = await readFile(path.join(real, BUNDLE_FILES.manifestHash), 'utf8').catch(() => undefined);
    if (recorded === undefined) {
      throw new BundleError(dir, [`${BUNDLE_FILES.manifestHash} is missing: a format version 2 bundle carries the SHA-256 of its manifest`]);
    }
    if (recorded !== manifestHashLine(manifestBytes)) {
      throw new BundleError(dir, [
        `${BUNDLE_FILES.manifest} does not match its SHA-256 in ${BUNDLE_FILES.manifestHash}: it was changed after the bundle was published (an edited threshold or model is refused; publish a new bundle instead)`,
      ]);
    }
  }

  const tree = await listBundleTree(real);
  const present = new Set(tree.files);
  let pipelineBytes: Buffer | undefined;
  for (const [file, expected] of Object.entries(manifest.files)) {
    if (!present.has(file)) {
      problems.push(`${file} is listed in manifest.json but missing`);
      continue;
    }
    const bytes = await readFile(path.join(real, ...file.split('/')));
    if (sha256(bytes) !== expected) problems.push(`${file} does not match its SHA-256 in manifest.json`);
    else if (file === BUNDLE_FILES.pipeline) pipelineBytes = bytes;
  }
  for (const file of tree.files) {
    const own = file === BUNDLE_FILES.manifest || (file === BUNDLE_FILES.manifestHash && manifest.formatVersion >= 2);
    if (!own && !(file in manifest.files)) problems.push(`${file} is not listed in manifest.json`);
  }
  for (const file of tree.others) problems.push(`${file} is not a regular file`);
  if (problems.length > 0 || !pipelineBytes) throw new BundleError(dir, problems);

  let pipeline: unknown;
  try {
    pipeline = JSON.parse(pipelineBytes.toString('utf8'));
  } catch (err) {
    throw new BundleError(dir, [`${BUNDLE_FILES.pipeline} is not valid JSON (${(err as Error).message})`]);
  }
  return { dir: real, manifest, modelDir: path.join(real, BUNDLE_FILES.model), pipeline };
}

/** loadBundle for callers that only want the verdict: resolves to the manifest or throws a BundleError. */
export async function verifyBundle(dir: string): Promise<BundleManifest> {
  return (await loadBundle(dir)).manifest;
}

function ioProblem(err: unknown, what: string): string {
  const e = err as NodeJS.ErrnoException;
  if (e.code === 'ENOENT') return `${what} does not exist`;
  if (e instanceof SyntaxError) return `${what} is not valid JSON (${e.message})`;
  return `${what} cannot be read (${e.code ?? e.message})`;
}
