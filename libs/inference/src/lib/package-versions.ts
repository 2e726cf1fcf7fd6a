import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { PackageVersions } from './bundle-format';

/**
 * The versions a bundle records so a model can be traced to the code that made it. The project root
 * is the directory whose node_modules holds tfjs (true under jest, tools/run-ts.mjs and nx alike,
 * where npm's own npm_package_version is not always set).
 */
export async function packageVersions(): Promise<PackageVersions> {
  const tfjsManifest = require.resolve('@tensorflow/tfjs/package.json');
  const marker = `${path.sep}node_modules${path.sep}`;
  const projectRoot = tfjsManifest.slice(0, tfjsManifest.lastIndexOf(marker));
  return {
    tfjs: await versionIn(tfjsManifest),
    node: process.versions.node,
    project: await projectVersionIn(path.join(projectRoot, 'package.json')),
  };
}

async function versionIn(packageJson: string): Promise<string> {
  const { version } = JSON.parse(await readFile(packageJson, 'utf8')) as { version?: unknown };
  if (typeof version !== 'string') throw new Error(`${packageJson} has no version`);
  return version;
}

/** A project that imports the libraries need not be versioned: its bundles then say so. */
async function projectVersionIn(packageJson: string): Promise<string> {
  const { version } = JSON.parse(await readFile(packageJson, 'utf8').catch(() => '{}')) as { version?: unknown };
  return typeof version === 'string' ? version : 'unversioned';
}
