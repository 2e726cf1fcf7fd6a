import { appendFile, cp, mkdtemp, readdir, readFile, readlink, rm, stat, symlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { publishSessionsBundle } from '../test-fixtures/sessions-bundle';
import { BundleError } from './bundle-format';
import { listBundleTree } from './bundle-files';
import { sha256 } from '@purchase/core';
import { importBundle } from './import-bundle';
import { switchCurrent } from './registry';
import { verifyBundle } from './verify-bundle';

let work: string;
/** Trained once: `trained` is the bundle to import, `unrelated` another one already in service. */
let sources: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'import-bundle-'));
  sources = path.join(work, 'sources');
  await publishSessionsBundle(sources, { version: 'unrelated', select: 'lr' });
  await publishSessionsBundle(sources, { version: 'trained' });
}, 30_000);
afterAll(() => rm(work, { recursive: true, force: true }));

let models: string;
beforeEach(async () => {
  models = await mkdtemp(path.join(work, 'models-'));
  await cp(path.join(sources, 'unrelated'), path.join(models, 'unrelated'), { recursive: true });
  await symlink('unrelated', path.join(models, 'current'), 'dir');
  await writeFile(path.join(models, 'README.md'), '# models/\n');
});

/** Every file under `dir` (links by target) with its SHA-256: what "byte-identical" compares. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const { files, others } = await listBundleTree(dir);
  const entries = await Promise.all(files.map(async (f) => [f, sha256(await readFile(path.join(dir, f)))]));
  const links = await Promise.all(others.map(async (f) => [f, `-> ${await readlink(path.join(dir, f))}`]));
  return Object.fromEntries([...entries, ...links]);
}

describe('importBundle', () => {
  it('copies a verified bundle in as its own version, switches current to it, and leaves an unrelated bundle byte-identical', async () => {
    const before = await snapshot(path.join(models, 'unrelated'));
    const readme = await readFile(path.join(models, 'README.md'), 'utf8');

    const imported = await importBundle(path.join(sources, 'trained'), models);

    expect(imported).toMatchObject({ version: 'trained', dir: path.join(models, 'trained'), reused: false, removedTemps: [] });
    expect(await readlink(path.join(models, 'current'))).toBe('trained');
    expect((await readdir(models)).sort()).toEqual(['README.md', 'current', 'history.json', 'trained', 'unrelated']);
    expect(await snapshot(path.join(models, 'trained'))).toEqual(await snapshot(path.join(sources, 'trained')));
    expect((await verifyBundle(path.join(models, 'current'))).version).toBe('trained');
    expect(await snapshot(path.join(models, 'unrelated'))).toEqual(before);
    expect(await readFile(path.join(models, 'README.md'), 'utf8')).toBe(readme);
  });

  it('reuses the version on a second import: nothing is copied again, current is switched back to it', async () => {
    const first = await importBundle(path.join(sources, 'trained'), models);
    const written = (await stat(path.join(first.dir, 'manifest.json'))).mtimeMs;
    await switchCurrent(models, 'unrelated');

    const second = await importBundle(path.join(sources, 'trained'), models);

    expect(second).toMatchObject({ version: 'trained', dir: first.dir, reused: true });
    expect(await readlink(path.join(models, 'current'))).toBe('trained');
    expect((await readdir(models)).sort()).toEqual(['README.md', 'current', 'history.json', 'trained', 'unrelated']);
    expect((await stat(path.join(first.dir, 'manifest.json'))).mtimeMs).toBe(written);
  });

  it('reuses a copy of identical content under another name, and skips a damaged one', async () => {
    await cp(path.join(sources, 'trained'), path.join(models, 'a-damaged-copy'), { recursive: true });
    await appendFile(path.join(models, 'a-damaged-copy', 'report.md'), 'edited\n');
    await cp(path.join(sources, 'trained'), path.join(models, 'renamed'), { recursive: true });

    const imported = await importBundle(path.join(sources, 'trained'), models);

    expect(imported).toMatchObject({ version: 'renamed', reused: true });
    expect(await readlink(path.join(models, 'current'))).toBe('renamed');
    expect((await readdir(models)).sort()).toEqual(['README.md', 'a-damaged-copy', 'current', 'history.json', 'renamed', 'unrelated']);
  });

  it('refuses a corrupt source with the verification message, and changes nothing in the models directory', async () => {
    const corrupt = path.join(work, 'corrupt');
    await rm(corrupt, { recursive: true, force: true });
    await cp(path.join(sources, 'trained'), corrupt, { recursive: true });
    await appendFile(path.join(corrupt, 'report.md'), 'edited\n');
    const before = await snapshot(models);

    const err = await importBundle(corrupt, models).catch((e: unknown) => e);

    expect(err).toBeInstanceOf(BundleError);
    expect((err as Error).message).toBe(`bundle ${corrupt} is invalid: report.md does not match its SHA-256 in manifest.json`);
    expect(await snapshot(models)).toEqual(before);
  });

  it('refuses to overwrite a different bundle that holds the same version name', async () => {
    await cp(path.join(sources, 'unrelated'), path.join(models, 'trained'), { recursive: true });
    const before = await snapshot(models);

    await expect(importBundle(path.join(sources, 'trained'), models)).rejects.toThrow(
      `${path.join(models, 'trained')} already exists and is not an intact copy of this bundle; refusing to overwrite it`,
    );
    expect(await snapshot(models)).toEqual(before);
  });

  it('says so when there is no bundle at the source', async () => {
    const missing = path.join(work, 'nothing-here');
    await expect(importBundle(missing, models)).rejects.toThrow(`no bundle at ${missing}`);
  });
});
