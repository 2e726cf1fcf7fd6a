import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeDirAtomic, writeFileAtomic, writeViaTemp } from './atomic-write';
import { parseTempName, removeTrackedTemps } from './temp-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'atomic-write-spec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('writeViaTemp', () => {
  it('writes at a temp named for this process, then renames it over the target', async () => {
    const target = path.join(dir, 'scored.csv');
    let seen: string | undefined;
    const result = await writeViaTemp(target, async (tmp) => {
      seen = tmp;
      await writeFile(tmp, 'a,b\n');
      return 7;
    });
    expect(result).toBe(7);
    expect(parseTempName(path.basename(seen!))).toMatchObject({ target: 'scored.csv', pid: process.pid });
    expect(await readdir(dir)).toEqual(['scored.csv']);
    expect(await readFile(target, 'utf8')).toBe('a,b\n');
  });

  it('removes the temp when writing or committing fails, and passes the error on', async () => {
    const target = path.join(dir, 'out.csv');
    await expect(
      writeViaTemp(target, async (tmp) => {
        await writeFile(tmp, 'half');
        throw new Error('disk full');
      }),
    ).rejects.toThrow('disk full');
    await expect(
      writeViaTemp(
        target,
        (tmp) => writeFile(tmp, 'all'),
        async () => {
          throw new Error('rename refused');
        },
      ),
    ).rejects.toThrow('rename refused');
    expect(await readdir(dir)).toEqual([]);
  });

  it('tracks the temp while it is written, so that an interrupt removes it, and forgets it after', async () => {
    const target = path.join(dir, 'out.csv');
    let interrupted: ReturnType<typeof removeTrackedTemps> | undefined;
    await writeViaTemp(target, async (tmp) => {
      await writeFile(tmp, 'abcd');
      interrupted = removeTrackedTemps();
      await writeFile(tmp, 'again');
    });
    expect(interrupted?.removed).toEqual([expect.objectContaining({ bytes: 4, directory: false })]);
    expect(removeTrackedTemps().removed).toEqual([]);
  });
});

describe('writeFileAtomic / writeDirAtomic', () => {
  it('replace a file and a directory whole, leaving no temp behind', async () => {
    const file = path.join(dir, 'sub', 'a.json');
    await writeFileAtomic(file, '1');
    await writeFileAtomic(file, '2');
    expect(await readFile(file, 'utf8')).toBe('2');
    const model = path.join(dir, 'model');
    await writeDirAtomic(model, { 'a.json': '1', 'w/b.bin': new Uint8Array([1, 2]) });
    await writeDirAtomic(model, { 'c.json': '3' });
    expect(await readdir(model)).toEqual(['c.json']);
    expect((await readdir(dir)).sort()).toEqual(['model', 'sub']);
    expect(await readdir(path.join(dir, 'sub'))).toEqual(['a.json']);
  });

  it('refuses a file name that leaves the directory', async () => {
    await expect(writeDirAtomic(path.join(dir, 'model'), { '../x.json': '1' })).rejects.toThrow('file name "../x.json" escapes the directory');
    expect(await readdir(dir)).toEqual([]);
  });
});
