import { spawnSync } from 'node:child_process';
import { appendFile, mkdir, mkdtemp, readdir, readFile, readlink, realpath, rm, symlink, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { type ModelDescription, type ModelKind } from '@purchase/models';
import { sha256, tempName, writeDirAtomic } from '@purchase/core';
import { loadSpec, type DatasetSpec } from '@purchase/preprocessing';
import { SESSIONS_SPEC } from '../test-fixtures/sessions-bundle';
import { BundleError } from './bundle-format';
import { publishBundle, type BundleContent, type BundleModel } from './publish-bundle';
import { switchCurrent } from './registry';
import { loadBundle, verifyBundle } from './verify-bundle';

/** The bundle only asks a model to save itself; this one saves a JSON file, as the tree models do. */
class SavedJsonModel implements BundleModel {
  constructor(
    readonly kind: ModelKind,
    private readonly weights: number[],
  ) {}
  describe(): ModelDescription {
    return { kind: this.kind, hyperparameters: { weights: this.weights.length }, inputWidth: this.weights.length };
  }
  async save(dir: string): Promise<void> {
    await writeDirAtomic(dir, { 'model.json': JSON.stringify({ kind: this.kind, weights: this.weights }) });
  }
}

/** Writes part of its files, then fails: a full disk or a crash in the middle of a bundle. */
class FailingModel extends SavedJsonModel {
  override async save(dir: string): Promise<void> {
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, 'model.json'), '{"half":');
    throw new Error('ENOSPC: no space left on device');
  }
}

function content(overrides: Partial<BundleContent> = {}): BundleContent {
  return {
    createdAt: new Date('2025-03-01T10:20:30.456Z'),
    data: { file: 'customer_sessions.csv', sha256: sha256('a,b\n1,2\n'), rows: 1 },
    spec,
    seed: 42,
    pipeline: { formatVersion: 1, steps: ['impute', 'scale'] },
    candidates: {
      lr: new SavedJsonModel('logistic_regression', [0.5, -1]),
      gbdt: new SavedJsonModel('gbdt', [1, 2, 3]),
    },
    selected: { candidate: 'gbdt', threshold: 0.42, thresholdRule: 'f1-optimal on validation', metrics: { roc_auc: 0.8 } },
    metrics: { lr: { f1: 0.6 }, gbdt: { f1: 0.7 } },
    reportMarkdown: '# Report\n',
    reportHtml: '<html><body>Report</body></html>',
    ...overrides,
  };
}

let spec: DatasetSpec;
beforeAll(async () => {
  spec = await loadSpec(SESSIONS_SPEC);
});

let root: string;
beforeEach(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'bundle-spec-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

async function expectInvalid(dir: string, problems: string[]): Promise<void> {
  const err = await verifyBundle(dir).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(BundleError);
  expect((err as BundleError).problems).toEqual(problems);
  expect((err as BundleError).message).toBe(`bundle ${dir} is invalid: ${problems.join('; ')}`);
}

describe('publishBundle / loadBundle', () => {
  it('lays out the bundle, hashes every file, and points current at it with a relative link', async () => {
    const published = await publishBundle(root, content({ version: 'v1' }));
    expect(published.dir).toBe(path.join(root, 'v1'));
    expect(await readlink(path.join(root, 'current'))).toBe('v1');
    expect((await readdir(root)).sort()).toEqual(['current', 'history.json', 'v1']);

    const { manifest, dir, modelDir, pipeline } = await loadBundle(path.join(root, 'current'));
    expect(dir).toBe(await realpath(path.join(root, 'v1')));
    expect(modelDir).toBe(path.join(dir, 'model'));
    expect(pipeline).toEqual({ formatVersion: 1, steps: ['impute', 'scale'] });
    expect(Object.keys(manifest.files)).toEqual([
      'candidates/gbdt/model.json',
      'candidates/lr/model.json',
      'metrics.json',
      'model/model.json',
      'pipeline.json',
      'report.html',
      'report.md',
    ]);
    const modelBytes = await readFile(path.join(dir, 'model/model.json'));
    expect(manifest.files['model/model.json']).toBe(sha256(modelBytes));
    expect(manifest.files['model/model.json']).toBe(manifest.files['candidates/gbdt/model.json']);
    expect(JSON.parse(modelBytes.toString())).toEqual({ kind: 'gbdt', weights: [1, 2, 3] });
    expect(await readFile(path.join(published.dir, 'manifest.sha256'), 'utf8')).toBe(`${sha256(await readFile(path.join(published.dir, 'manifest.json')))}  manifest.json\n`);
    expect(manifest).toMatchObject({
      format: 'purchase-bundle',
      formatVersion: 2,
      version: 'v1',
      createdAt: '2025-03-01T10:20:30.456Z',
      seed: 42,
      spec,
      packages: { tfjs: '4.22.0', node: process.versions.node, project: '0.1.0' },
      model: {
        kind: 'gbdt',
        candidate: 'gbdt',
        threshold: 0.42,
        thresholdRule: 'f1-optimal on validation',
        description: { kind: 'gbdt', hyperparameters: { weights: 3 }, inputWidth: 3 },
        metrics: { roc_auc: 0.8 },
      },
    });
    // The manifest on disk is the one returned.
    expect(JSON.parse(await readFile(path.join(dir, 'manifest.json'), 'utf8'))).toEqual(published.manifest);
  });

  it('names a version from the creation time when none is given', async () => {
    const { version } = await publishBundle(root, content());
    expect(version).toMatch(/^20250301-102030-[0-9a-f]{6}$/);
  });

  it('switches current to the newest bundle and keeps the older one for rollback', async () => {
    await publishBundle(root, content({ version: 'v1' }));
    await publishBundle(root, content({ version: 'v2' }));
    expect(await readlink(path.join(root, 'current'))).toBe('v2');
    await switchCurrent(root, 'v1');
    expect(await readlink(path.join(root, 'current'))).toBe('v1');
    expect((await readdir(root)).sort()).toEqual(['current', 'history.json', 'v1', 'v2']);
  });

  it('an interrupted publish leaves current on the previous bundle and no new directory', async () => {
    await publishBundle(root, content({ version: 'v1' }));
    const failing = content({
      version: 'v2',
      candidates: { lr: new SavedJsonModel('logistic_regression', [1]), mlp: new FailingModel('mlp', [1]) },
      selected: { candidate: 'lr', threshold: 0.5, thresholdRule: 'fixed', metrics: {} },
    });
    await expect(publishBundle(root, failing)).rejects.toThrow('ENOSPC: no space left on device');
    expect(await readlink(path.join(root, 'current'))).toBe('v1');
    expect((await readdir(root)).sort()).toEqual(['current', 'history.json', 'v1']);
    await expect(verifyBundle(path.join(root, 'current'))).resolves.toMatchObject({ version: 'v1' });
  });

  it('removes what killed publishes left in the models directory, keeps a live one, and says which', async () => {
    const first = await publishBundle(root, content({ version: 'v1' }));
    expect(first.removedTemps).toEqual([]);
    const dead = spawnSync(process.execPath, ['-e', '']).pid as number;
    const leftBundle = tempName(path.join(root, 'publish-v2'), { pid: dead });
    await mkdir(path.join(leftBundle, 'model'), { recursive: true });
    await writeFile(path.join(leftBundle, 'model', 'model.json'), '{"half":');
    const leftLink = tempName(path.join(root, 'current'), { pid: dead });
    await symlink('v1', leftLink, 'dir');
    const live = tempName(path.join(root, 'publish-v3'));
    await mkdir(live);
    const published = await publishBundle(root, content({ version: 'v2' }));
    expect(published.removedTemps).toEqual([
      { path: leftLink, bytes: 2, directory: false },
      { path: leftBundle, bytes: 8, directory: true },
    ]);
    expect((await readdir(root)).sort()).toEqual([path.basename(live), 'current', 'history.json', 'v1', 'v2']);
  });

  it('refuses to overwrite a published version', async () => {
    await publishBundle(root, content({ version: 'v1' }));
    await expect(publishBundle(root, content({ version: 'v1' }))).rejects.toThrow(
      `bundle version v1 already exists in ${root}`,
    );
  });

  it('checks names and the selection before writing anything', async () => {
    await expect(publishBundle(root, content({ version: '../v1' }))).rejects.toThrow(
      'bundle version "../v1" must be letters, digits, ".", "_" or "-" (and not "current")',
    );
    await expect(publishBundle(root, content({ version: 'current' }))).rejects.toThrow('(and not "current")');
    await expect(
      publishBundle(root, content({ selected: { candidate: 'rf', threshold: 0.5, thresholdRule: 'fixed', metrics: {} } })),
    ).rejects.toThrow('selected candidate "rf" is not among the candidates (lr, gbdt)');
    await expect(
      publishBundle(root, content({ selected: { candidate: 'lr', threshold: 1.5, thresholdRule: 'fixed', metrics: {} } })),
    ).rejects.toThrow('threshold must be in [0, 1], got 1.5');
    expect(await readdir(root)).toEqual([]);
  });

  it('will not replace a current that is a real directory', async () => {
    await mkdir(path.join(root, 'current'));
    await expect(publishBundle(root, content({ version: 'v1' }))).rejects.toThrow(
      `${path.join(root, 'current')} is not a symlink; move it away so that it can point at the published bundle`,
    );
  });
});

describe('verifyBundle', () => {
  let dir: string;
  beforeEach(async () => {
    dir = (await publishBundle(root, content({ version: 'v1' }))).dir;
  });

  it('detects a tampered file by its hash', async () => {
    await appendFile(path.join(dir, 'model/model.json'), ' ');
    await expectInvalid(dir, ['model/model.json does not match its SHA-256 in manifest.json']);
  });

  it('names missing, unlisted and non-regular files', async () => {
    await unlink(path.join(dir, 'report.md'));
    await writeFile(path.join(dir, 'model/extra.bin'), 'x');
    await symlink('/etc/passwd', path.join(dir, 'candidates/lr/link.json'));
    await expectInvalid(dir, [
      'report.md is listed in manifest.json but missing',
      'model/extra.bin is not listed in manifest.json',
      'candidates/lr/link.json is not a regular file',
    ]);
  });

  it('refuses another format or format version before reading further', async () => {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 3 }));
    await expectInvalid(dir, ['manifest.json: formatVersion 3 is not supported (this build reads 1 and 2)']);
    await writeFile(manifestFile, JSON.stringify({ ...manifest, format: 'keras' }));
    await expectInvalid(dir, ['manifest.json: format is "keras", expected "purchase-bundle"']);
  });

  it('refuses a manifest edited after publishing (the served threshold cannot change undetected)', async () => {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, model: { ...manifest.model, threshold: 0.01 } }, null, 2) + '\n');
    await expectInvalid(dir, [
      'manifest.json does not match its SHA-256 in manifest.sha256: it was changed after the bundle was published (an edited threshold or model is refused; publish a new bundle instead)',
    ]);
    await unlink(path.join(dir, 'manifest.sha256'));
    await expectInvalid(dir, ['manifest.sha256 is missing: a format version 2 bundle carries the SHA-256 of its manifest']);
  });

  it('still reads a bundle of format version 1, which has no manifest.sha256', async () => {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    await writeFile(manifestFile, JSON.stringify({ ...manifest, formatVersion: 1 }, null, 2) + '\n');
    await unlink(path.join(dir, 'manifest.sha256'));
    await expect(verifyBundle(dir)).resolves.toMatchObject({ formatVersion: 1, version: manifest.version });
  });

  it('lists every malformed manifest field at once', async () => {
    const manifestFile = path.join(dir, 'manifest.json');
    const manifest = JSON.parse(await readFile(manifestFile, 'utf8'));
    const { 'pipeline.json': _dropped, ...files } = manifest.files;
    await writeFile(
      manifestFile,
      JSON.stringify({
        ...manifest,
        model: { ...manifest.model, threshold: '0.5' },
        spec: { ...manifest.spec, formatVersion: 9 },
        files: { ...files, '../escape.json': manifest.files['metrics.json'] },
      }),
    );
    await expectInvalid(dir, [
      'manifest.json: "spec": formatVersion 9 is not supported (this code reads version 1)',
      'manifest.json: "model.threshold" must be a number in [0, 1]',
      'manifest.json: file path "../escape.json" is not a relative path inside the bundle',
      'manifest.json: does not list pipeline.json',
    ]);
  });

  it('says what is missing or unreadable', async () => {
    const missing = (await verifyBundle(path.join(root, 'nope')).catch((e: unknown) => e)) as BundleError;
    expect(missing).toMatchObject({ missing: true, message: `no bundle at ${path.join(root, 'nope')}` });
    await writeFile(path.join(dir, 'manifest.json'), '{"format":');
    const err = (await verifyBundle(dir).catch((e: unknown) => e)) as BundleError;
    expect(err.problems).toHaveLength(1);
    expect(err.problems[0]).toMatch(/^manifest.json is not valid JSON \(.+\)$/);
    await unlink(path.join(dir, 'manifest.json'));
    await expectInvalid(dir, ['manifest.json does not exist']);
  });

  it('refuses to switch current to a broken bundle', async () => {
    await publishBundle(root, content({ version: 'v2' }));
    await appendFile(path.join(dir, 'pipeline.json'), ' ');
    await expect(switchCurrent(root, 'v1')).rejects.toThrow('pipeline.json does not match its SHA-256 in manifest.json');
    expect(await readlink(path.join(root, 'current'))).toBe('v2');
  });
});
