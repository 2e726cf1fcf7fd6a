import { mkdir, readdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { removeStaleTemps, sha256, tempPrefix, writeFileAtomic, writeViaTemp } from '@purchase/core';
import { BUNDLE_FILES, BundleError, CURRENT_LINK, SAFE_NAME } from './bundle-format';
import { PUBLISH_TEMP, type PublishedBundle } from './publish-bundle';
import { pointCurrent, switchCurrent } from './registry';
import { loadBundle } from './verify-bundle';

export interface ImportedBundle extends PublishedBundle {
  /** True when the models directory already held this bundle (same manifest, so the same hashes): nothing was copied. */
  reused: boolean;
}

/**
 * Publishes a bundle trained before (a cached build output, a copy from elsewhere) under
 * `modelsDir`, without training: verifies `sourceDir` as a reader would, then copies it to
 * `<modelsDir>/<its version>` the way publishBundle writes (hidden temporary directory, verified,
 * renamed) and switches `current` to it atomically. When a version in `modelsDir` has identical
 * content (its manifest is byte-identical, and it verifies), that one is reused and made current
 * instead. Nothing in `modelsDir` is deleted or overwritten but `current` and the leftovers of
 * killed publishes (see removeStaleTemps): a version name held by another bundle is refused.
 * Throws the source's BundleError when it does not verify.
 */
export async function importBundle(sourceDir: string, modelsDir: string): Promise<ImportedBundle> {
  const source = await loadBundle(sourceDir);
  const { manifest } = source;
  const { version } = manifest;
  if (version === CURRENT_LINK) throw new Error(`bundle ${sourceDir} calls its version "${CURRENT_LINK}", the name of the link to the served bundle`);
  // The manifest lists the SHA-256 of every other file: the same manifest bytes are the same bundle.
  const manifestBytes = await readFile(path.join(source.dir, BUNDLE_FILES.manifest));
  const key = sha256(manifestBytes);

  await mkdir(modelsDir, { recursive: true });
  const removedTemps = await removeStaleTemps(modelsDir, [`.${PUBLISH_TEMP}`, tempPrefix(CURRENT_LINK)]);
  const entries = await readdir(modelsDir, { withFileTypes: true });
  const versions = entries
    .filter((entry) => entry.isDirectory() && SAFE_NAME.test(entry.name) && entry.name !== CURRENT_LINK)
    .map((entry) => entry.name)
    .sort((a, b) => Number(b === version) - Number(a === version) || a.localeCompare(b));
  for (const name of versions) {
    const bytes = await readFile(path.join(modelsDir, name, BUNDLE_FILES.manifest)).catch(() => undefined);
    if (!bytes || sha256(bytes) !== key) continue;
    try {
      await switchCurrent(modelsDir, name);
    } catch (err) {
      // A damaged copy of the same bundle is not reused, and left as it is.
      if (err instanceof BundleError) continue;
      throw err;
    }
    return { version: name, dir: path.join(modelsDir, name), manifest, reused: true, removedTemps };
  }

  const finalDir = path.join(modelsDir, version);
  if (entries.some((entry) => entry.name === version)) {
    throw new Error(`${finalDir} already exists and is not an intact copy of this bundle; refusing to overwrite it`);
  }
  const copy = async (tmp: string): Promise<void> => {
    await mkdir(tmp);
    for (const file of Object.keys(manifest.files)) {
      const parts = file.split('/');
      await writeFileAtomic(path.join(tmp, ...parts), await readFile(path.join(source.dir, ...parts)));
    }
    await writeFileAtomic(path.join(tmp, BUNDLE_FILES.manifest), manifestBytes);
    if (manifest.formatVersion >= 2) {
      await writeFileAtomic(path.join(tmp, BUNDLE_FILES.manifestHash), await readFile(path.join(source.dir, BUNDLE_FILES.manifestHash)));
    }
    await loadBundle(tmp);
  };
  await writeViaTemp(path.join(modelsDir, PUBLISH_TEMP + version), copy, (tmp) => rename(tmp, finalDir));
  await pointCurrent(modelsDir, version, 'publish', { verified: true });
  return { version, dir: finalDir, manifest, reused: false, removedTemps };
}
