import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOYALTY_VISITS, publishDatasetBundle, publishSessionsBundle, SESSIONS_CSV } from '../test-fixtures/sessions-bundle';
import { parseShard, shardRange } from './csv-shards';
import { PurchasePredictor } from './purchase-predictor';
import { scoreCsvFile } from './score-csv-file';
import { mergeScoredParts, partPath } from './scored-parts';

let root: string;
let sessions: PurchasePredictor;
let loyalty: PurchasePredictor;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'csv-shards-spec-'));
  sessions = await PurchasePredictor.load((await publishSessionsBundle(path.join(root, 'models'))).published.dir);
  loyalty = await PurchasePredictor.load((await publishDatasetBundle(path.join(root, 'loyalty'), { data: LOYALTY_VISITS.data, spec: LOYALTY_VISITS.spec })).published.dir);
});
afterAll(async () => {
  sessions.dispose();
  loyalty.dispose();
  await rm(root, { recursive: true, force: true });
});

/** The output and errors files of one unsharded run, and of `count` shards scored in parallel and merged. */
async function shardedAndWhole(predictor: PurchasePredictor, input: string, count: number) {
  const dir = await mkdtemp(path.join(root, 'run-'));
  const whole = await scoreCsvFile(predictor, input, path.join(dir, 'whole.csv'));
  const output = path.join(dir, 'sharded.csv');
  const errors = path.join(dir, 'sharded.errors.csv');
  const parts = await Promise.all(
    Array.from({ length: count }, (_, index) =>
      scoreCsvFile(predictor, input, partPath(output, index), { errorsPath: partPath(errors, index), shard: { index, count } }),
    ),
  );
  const merged = await mergeScoredParts(output, { errorsPath: errors });
  const text = async (file: string | undefined) => (file === undefined ? undefined : readFile(file, 'utf8'));
  return {
    whole: { result: whole, output: await text(whole.outputPath), errors: await text(whole.errorsPath) },
    sharded: { result: merged, output: await text(merged.outputPath), errors: await text(merged.errorsPath) },
    parts,
  };
}

describe('sharded scoring', () => {
  it.each([1, 2, 3, 7, 16])('gives exactly the rows, probabilities and rejections of one run: the bundled sessions in %i shards', async (count) => {
    const { whole, sharded, parts } = await shardedAndWhole(sessions, SESSIONS_CSV, count);
    expect(sharded.output).toBe(whole.output);
    expect(sharded.errors).toBe(whole.errors);
    expect(sharded.result).toMatchObject({ parts: count, rows: whole.result.rows, scored: whole.result.scored, rejected: whole.result.rejected });
    // Every shard reads its own share of the bytes, not the file.
    const size = parts[0].shard?.size as number;
    for (const p of parts) expect((p.shard?.end as number) - (p.shard?.start as number)).toBeLessThan(size / count + 200);
  });

  it.each([2, 5, 11])('keeps records whose quoted fields hold line breaks and delimiters whole (loyalty visits, ";", CRLF, BOM) in %i shards', async (count) => {
    const { whole, sharded } = await shardedAndWhole(loyalty, LOYALTY_VISITS.scoreMe, count);
    expect(whole.result.rejected).toBeGreaterThan(0);
    expect(sharded.output).toBe(whole.output);
    expect(sharded.errors).toBe(whole.errors);
  });

  it('keeps blank lines, bad rows and quoted line breaks at every cut of a generated file', async () => {
    const header = 'customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type';
    const lines = [header];
    for (let i = 1; i <= 300; i++) {
      if (i % 37 === 0) lines.push('');
      else if (i % 23 === 0) lines.push(`${i},-1,3,10,Mobile,New`);
      else if (i % 19 === 0) lines.push(`"${i}",5,"3",10,"Tab""let",New`);
      else if (i % 17 === 0) lines.push(`${i},5,3,10,"Desk\ntop",Returning`);
      else lines.push(`${i},${i % 13},${i % 7},${(i * 3.7).toFixed(2)},${['Mobile', 'Desktop', 'Tablet', ''][i % 4]},${i % 2 ? 'New' : 'Returning'}`);
    }
    const input = path.join(root, 'generated.csv');
    await writeFile(input, lines.join('\n') + '\n');
    for (const count of [3, 9, 40]) {
      const { whole, sharded } = await shardedAndWhole(sessions, input, count);
      expect([count, sharded.output]).toEqual([count, whole.output]);
      expect([count, sharded.errors]).toEqual([count, whole.errors]);
    }
  });

  it('refuses, loudly, a cut that falls inside a quoted field the checks could not see', async () => {
    // A record whose quoted field spans three lines, the middle one long and quote-free, right at
    // the middle of the file: the cut of 2 shards lands in it, and "c",... after it looks like a row.
    const header = 'customer_id,time_spent,pages_viewed,basket_value,device_type,customer_type';
    const row = (i: number) => `${i},5,3,10,Mobile,New`;
    const before = Array.from({ length: 40 }, (_, i) => row(i + 1));
    const after = Array.from({ length: 40 }, (_, i) => row(i + 100));
    const text = [header, ...before, `"7\n${'b'.repeat(2000)}\n8",5,3,10,Mobile,New`, ...after].join('\n') + '\n';
    const input = path.join(root, 'treacherous.csv');
    await writeFile(input, text);
    const dir = await mkdtemp(path.join(root, 'run-'));
    const output = path.join(dir, 'out.csv');
    await expect(scoreCsvFile(sessions, input, partPath(output, 0), { shard: { index: 0, count: 2 } })).rejects.toThrow(
      /the last record of this shard is not closed before byte \d+, where the next shard starts: a quoted field spans the cut/,
    );
    // Nothing of the failed shard is left, so the merge cannot pretend.
    expect((await readdir(dir)).filter((f) => f.startsWith('out.csv.part-0'))).toEqual([]);
    await expect(mergeScoredParts(output)).rejects.toThrow(`${partPath(output, 0)}.json is missing: that shard was not scored (or not to the end)`);
  });

  it('refuses to merge parts that do not tile the input', async () => {
    const dir = await mkdtemp(path.join(root, 'run-'));
    const output = path.join(dir, 'out.csv');
    await scoreCsvFile(sessions, SESSIONS_CSV, partPath(output, 0), { shard: { index: 0, count: 3 } });
    await scoreCsvFile(sessions, SESSIONS_CSV, partPath(output, 2), { shard: { index: 2, count: 3 } });
    await expect(mergeScoredParts(output)).rejects.toThrow(`${partPath(output, 1)}.json is missing`);
    await scoreCsvFile(sessions, SESSIONS_CSV, partPath(output, 1), { shard: { index: 1, count: 4 } });
    await expect(mergeScoredParts(output)).rejects.toThrow(`${partPath(output, 1)}.json is shard 1/4, expected 1/3`);
  });

  it('cuts at record starts only', async () => {
    const text = await readFile(SESSIONS_CSV);
    for (const count of [2, 5, 33]) {
      let previous: number | undefined;
      for (let index = 0; index < count; index++) {
        const range = await shardRange(SESSIONS_CSV, { delimiter: ',', quote: '"' }, { index, count });
        if (previous !== undefined) expect(range.start).toBe(previous);
        if (range.start > range.headerEnd && range.start < range.size) expect(text[range.start - 1]).toBe(10);
        previous = range.end;
      }
      expect(previous).toBe(text.length);
    }
  });
});

describe('parseShard', () => {
  it('reads i/n, or n with JOB_COMPLETION_INDEX', () => {
    expect(parseShard('2/5', {})).toEqual({ index: 2, count: 5 });
    expect(parseShard('5', { JOB_COMPLETION_INDEX: '4' })).toEqual({ index: 4, count: 5 });
  });

  it('says what is wrong', () => {
    expect(() => parseShard('5/5', {})).toThrow('shard index 5 is not below the shard count 5 (shards are numbered from 0)');
    expect(() => parseShard('1/0', {})).toThrow('the shard count must be from 1 to 100000, got 0');
    expect(() => parseShard('a/b', {})).toThrow('--shard must be i/n (shard i of n, from 0) or n (with JOB_COMPLETION_INDEX), got "a/b"');
    expect(() => parseShard('4', {})).toThrow('--shard 4 takes the shard index from JOB_COMPLETION_INDEX, which is not set; give --shard i/4');
  });
});
