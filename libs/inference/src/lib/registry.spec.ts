import { cp, mkdir, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { publishSessionsBundle } from '../test-fixtures/sessions-bundle';
import { currentVersion, diffBundles, listBundles, promoteBundle, pruneBundles, readHistory, rollbackBundle, showBundle, switchCurrent } from './registry';

let root: string;
let template: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'registry-spec-'));
  // Three bundles published one after the other, as three training runs leave them.
  template = path.join(root, 'template');
  for (const [version, threshold] of [
    ['v1', 0.3],
    ['v2', 0.5],
    ['v3', 0.7],
  ] as const) {
    await publishSessionsBundle(template, { version, threshold });
    await new Promise((r) => setTimeout(r, 5));
  }
});
afterAll(() => rm(root, { recursive: true, force: true }));

let models: string;
beforeEach(async () => {
  models = await mkdtemp(path.join(root, 'models-'));
  await cp(template, models, { recursive: true, verbatimSymlinks: true });
});

describe('the models registry', () => {
  it('records every switch of current: publishing, promote and rollback', async () => {
    expect(await currentVersion(models)).toBe('v3');
    const history = await readHistory(models);
    expect(history.map((h) => [h.version, h.previous, h.via])).toEqual([
      ['v1', null, 'publish'],
      ['v2', 'v1', 'publish'],
      ['v3', 'v2', 'publish'],
    ]);
    for (const h of history) expect(Date.parse(h.at)).toBeGreaterThan(0);
  });

  it('lists every bundle oldest first, marks current and previous, and shows a broken one with why', async () => {
    await mkdir(path.join(models, 'v0-broken'));
    await writeFile(path.join(models, 'v0-broken', 'manifest.json'), '{"format": "purchase-bundle"');
    await mkdir(path.join(models, 'not-a-bundle'));
    const list = await listBundles(models);
    expect(list.map((b) => [b.version, b.current, b.previous, b.ok])).toEqual([
      ['v0-broken', false, false, false],
      ['v1', false, false, true],
      ['v2', false, true, true],
      ['v3', true, false, true],
    ]);
    expect(list[0].problems[0]).toMatch(/^manifest\.json/);
    expect(list[3].manifest?.model.threshold).toBe(0.7);
  });

  it('promotes a version atomically, verified first, and refuses a broken one or a name that is no version', async () => {
    await expect(promoteBundle(models, 'v1')).resolves.toEqual({ version: 'v1', previous: 'v3' });
    expect(await readlink(path.join(models, 'current'))).toBe('v1');
    const manifest = path.join(models, 'v2', 'pipeline.json');
    await writeFile(manifest, `${await readFile(manifest, 'utf8')} `);
    await expect(promoteBundle(models, 'v2')).rejects.toThrow(/pipeline\.json does not match its SHA-256/);
    await expect(promoteBundle(models, '../v1')).rejects.toThrow('"../v1" is not a bundle version');
    expect(await currentVersion(models)).toBe('v1');
  });

  it('rolls back step by step, to what was current before, and says when there is nothing to return to', async () => {
    await promoteBundle(models, 'v1');
    await expect(rollbackBundle(models)).resolves.toEqual({ version: 'v3', previous: 'v1' });
    await expect(rollbackBundle(models)).resolves.toEqual({ version: 'v2', previous: 'v3' });
    await expect(rollbackBundle(models)).resolves.toEqual({ version: 'v1', previous: 'v2' });
    await expect(rollbackBundle(models)).rejects.toThrow(`the history in ${models} records no bundle that was current before v1`);
    expect((await readHistory(models)).at(-1)).toMatchObject({ version: 'v1', previous: 'v2', via: 'rollback' });
  });

  it('prunes all but the newest, never current nor previous, and never half a bundle', async () => {
    await switchCurrent(models, 'v1', 'promote');
    // current v1, previous v3 (what v1 was promoted over); keep 1: v3 is the newest anyway.
    await expect(pruneBundles(models, 1, { dryRun: true })).resolves.toEqual({ removed: ['v2'], kept: ['v1', 'v3'] });
    expect((await readdir(models)).filter((f) => f.startsWith('v')).sort()).toEqual(['v1', 'v2', 'v3']);
    await expect(pruneBundles(models, 0)).resolves.toEqual({ removed: ['v2'], kept: ['v1', 'v3'] });
    expect((await readdir(models)).sort()).toEqual(['current', 'history.json', 'v1', 'v3']);
    await expect(pruneBundles(models, -1)).rejects.toThrow('--keep must be an integer >= 0, got -1');
  });

  it('diffs two bundles: the model, its threshold, the data and every test metric', async () => {
    const rows = await diffBundles(models, 'v1', 'v3');
    expect(rows.find((r) => r.field === 'threshold')).toEqual({ field: 'threshold', a: 0.3, b: 0.7, change: 0.7 - 0.3 });
    expect(rows.find((r) => r.field === 'test roc_auc')).toEqual({ field: 'test roc_auc', a: 0.75, b: 0.75, change: 0 });
    expect(rows.map((r) => r.field)).toEqual(['created', 'model', 'threshold', 'data', 'spec', 'test roc_auc']);
    await expect(showBundle(models, 'v9')).rejects.toThrow(`no bundle at ${path.join(models, 'v9')}`);
  });
});
