import { spawnSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import {
  STALE_TEMP_AGE_MS,
  forgetTemp,
  onSignalWhileTracking,
  parseTempName,
  removeStaleTemps,
  removeTrackedTemps,
  removedTempsLine,
  tempName,
  tempPrefix,
  trackTemp,
} from './temp-files';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'temp-files-spec-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** The pid of a process that has exited. */
function deadPid(): number {
  return spawnSync(process.execPath, ['-e', '']).pid as number;
}

describe('tempName / parseTempName', () => {
  it('names a hidden sibling of the target after this host and process, and reads the owner back', () => {
    const tmp = tempName(path.join(dir, 'scored.csv'));
    expect(path.dirname(tmp)).toBe(dir);
    expect(path.basename(tmp).startsWith('.scored.csv.tmp-')).toBe(true);
    expect(parseTempName(path.basename(tmp))).toEqual({
      target: 'scored.csv',
      host: os.hostname().replace(/[^A-Za-z0-9-]/g, '_'),
      pid: process.pid,
    });
    expect(tempName(path.join(dir, 'scored.csv'))).not.toBe(tmp);
  });

  it('round-trips any target name and owner; dots of a host name become "_"', () => {
    const name = path.basename(tempName('out/a.tmp-b-1-2.csv', { host: 'build-7.example.com', pid: 4242 }));
    expect(name).toMatch(/^\.a\.tmp-b-1-2\.csv\.tmp-build-7_example_com-4242-[0-9a-z]+$/);
    expect(parseTempName(name)).toEqual({ target: 'a.tmp-b-1-2.csv', host: 'build-7_example_com', pid: 4242 });
  });

  it('gives no owner for names it did not write', () => {
    for (const name of ['scored.csv', '.scored.csv.tmp-123-abcd', '.scored.csv.tmp-host-0-ab', '.publish-v1-3fa9c1d2', '.x.tmp-h-12-AB']) {
      expect(parseTempName(name)).toBeUndefined();
    }
  });
});

describe('removeStaleTemps', () => {
  const target = () => path.join(dir, 'scored.csv');
  async function make(file: string, bytes: number, ageMs = 0): Promise<string> {
    await writeFile(file, Buffer.alloc(bytes));
    const when = (Date.now() - ageMs) / 1000;
    await utimes(file, when, when);
    return path.basename(file);
  }

  it('removes the temps of dead processes of this host and keeps those of live ones', async () => {
    const dead = await make(tempName(target(), { pid: deadPid() }), 10);
    const live = await make(tempName(target()), 20);
    const removed = await removeStaleTemps(dir, [tempPrefix(target())]);
    expect(removed).toEqual([{ path: path.join(dir, dead), bytes: 10, directory: false }]);
    expect(await readdir(dir)).toEqual([live]);
  });

  it('keeps a young temp of another host and removes one older than 24 h; the same for names without an owner', async () => {
    const day = STALE_TEMP_AGE_MS;
    const otherYoung = await make(tempName(target(), { host: 'other-host', pid: deadPid() }), 1, day - 60_000);
    const otherOld = await make(tempName(target(), { host: 'other-host', pid: process.pid }), 2, day + 60_000);
    const legacyYoung = await make(path.join(dir, '.scored.csv.tmp-123-abcd'), 3, 60_000);
    const legacyOld = await make(path.join(dir, '.scored.csv.tmp-124-abcd'), 4, day + 60_000);
    const removed = await removeStaleTemps(dir, [tempPrefix(target())]);
    expect(removed.map((r) => path.basename(r.path)).sort()).toEqual([otherOld, legacyOld].sort());
    expect((await readdir(dir)).sort()).toEqual([otherYoung, legacyYoung].sort());
  });

  it('looks only at names with the given prefixes, and measures a directory by the files below it', async () => {
    const pid = deadPid();
    const stale = tempName(path.join(dir, 'publish-v2'), { pid });
    await mkdir(path.join(stale, 'model'), { recursive: true });
    await make(path.join(stale, 'manifest.json'), 100);
    await make(path.join(stale, 'model', 'trees.json'), 2_000);
    const unrelated = [
      await make(path.join(dir, 'scored.csv'), 5),
      await make(tempName(path.join(dir, 'other.csv'), { pid }), 5),
    ];
    const removed = await removeStaleTemps(dir, ['.publish-']);
    expect(removed).toEqual([{ path: stale, bytes: 2_100, directory: true }]);
    expect((await readdir(dir)).sort()).toEqual(unrelated.sort());
  });

  it('finds nothing in a directory that does not exist', async () => {
    await expect(removeStaleTemps(path.join(dir, 'none'), ['.x'])).resolves.toEqual([]);
  });
});

describe('removeTrackedTemps', () => {
  it('removes what this process tracks, directory first, and forgets it', async () => {
    const tmpDir = tempName(path.join(dir, 'publish-v1'));
    await mkdir(tmpDir);
    const inner = tempName(path.join(tmpDir, 'pipeline.json'));
    await writeFile(inner, 'abc');
    const file = tempName(path.join(dir, 'scored.csv'));
    await writeFile(file, '12345');
    const done = tempName(path.join(dir, 'report.md'));
    await writeFile(done, 'kept');
    for (const tmp of [tmpDir, inner, file, done]) trackTemp(tmp);
    forgetTemp(done);

    expect(removeTrackedTemps()).toEqual({
      removed: [
        { path: tmpDir, bytes: 3, directory: true },
        { path: file, bytes: 5, directory: false },
      ],
      failed: [],
    });
    expect(await readdir(dir)).toEqual([path.basename(done)]);
    expect(removeTrackedTemps()).toEqual({ removed: [], failed: [] });
  });
});

describe('onSignalWhileTracking', () => {
  it('listens for SIGINT and SIGTERM only while a temp is tracked, so that a busy process stays interruptible', () => {
    const counts = () => [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const before = counts();
    const signals: string[] = [];
    const stop = onSignalWhileTracking((signal) => void signals.push(signal));
    expect(counts()).toEqual(before);
    const a = tempName(path.join(dir, 'a.csv'));
    const b = tempName(path.join(dir, 'b.csv'));
    trackTemp(a);
    trackTemp(b);
    expect(counts()).toEqual(before.map((n) => n + 1));
    process.emit('SIGTERM', 'SIGTERM');
    expect(signals).toEqual(['SIGTERM']);
    forgetTemp(a);
    expect(counts()).toEqual(before.map((n) => n + 1));
    forgetTemp(b);
    expect(counts()).toEqual(before);
    trackTemp(a);
    removeTrackedTemps();
    expect(counts()).toEqual(before);
    trackTemp(a);
    stop();
    expect(counts()).toEqual(before);
    forgetTemp(a);
  });
});

describe('removedTempsLine', () => {
  const removed = [
    { path: 'out/.scored.csv.tmp-h-1-a', bytes: 91_200_000, directory: false },
    { path: 'models/.publish-v1.tmp-h-2-b', bytes: 812, directory: true },
  ];
  it('says how many, how big and which, for leftovers and for a run of its own', () => {
    expect(removedTempsLine(removed, 'stale')).toBe(
      `removed 2 stale temporary files (91.2 MB) left by interrupted runs: out/.scored.csv.tmp-h-1-a, models/.publish-v1.tmp-h-2-b${path.sep}`,
    );
    expect(removedTempsLine(removed.slice(1), 'own')).toBe(
      `removed 1 temporary file (812 B) this run was writing: models/.publish-v1.tmp-h-2-b${path.sep}`,
    );
    expect(removedTempsLine([{ path: 'a', bytes: 3_100, directory: false }], 'own')).toBe(
      'removed 1 temporary file (3.1 kB) this run was writing: a',
    );
    expect(removedTempsLine([], 'own')).toBe('no temporary files to remove');
    expect(removedTempsLine([], 'stale')).toBe('no stale temporary files');
  });
});
