import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { helpText } from '@purchase/cli';
import { PREDICT_CLI, predictCli } from './predict-cli';
import { trainCli } from './train-cli';

const ROOT = path.resolve(__dirname, '../../..');
const SESSIONS = path.join(ROOT, 'data/raw/customer_sessions.csv');

let work: string;
let model: string;
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'predict-cli-'));
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  expect(await trainCli(['--out', path.join(work, 'models'), '--models', 'lr', '--resamples', '10'])).toBe(0);
  jest.restoreAllMocks();
  model = path.join(work, 'models', 'current');
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

let out: string;
let logs: string[];
let errors: string[];
beforeEach(async () => {
  out = await mkdtemp(path.join(work, 'out-'));
  logs = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  // The bundle line and the progress bar.
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
});
afterEach(() => jest.restoreAllMocks());

const score = (input: string, ...more: string[]) =>
  predictCli(['--model', model, '--input', input, '--output', path.join(out, 'scored.csv'), ...more]);

describe('predictCli', () => {
  it('answers --help with every option, its default or that it is required, and the exit codes; exits 0', async () => {
    expect(await predictCli(['--help'])).toBe(0);
    expect(logs).toEqual([helpText(PREDICT_CLI)]);
    const help = logs[0].replace(/\n {3,}/g, ' ');
    expect(help.split('\n')[0]).toBe('usage: npm run predict -- --input FILE --output FILE [options]');
    for (const [name, option] of Object.entries(PREDICT_CLI.options)) {
      // A flag (--merge) takes no value and has no default.
      if (option.type === 'boolean') expect(help).toMatch(new RegExp(`^  --${name} +\\S`, 'm'));
      else expect(help).toMatch(new RegExp(`^  --${name} [A-Z]+ +\\S.*(\\(default: [^)]+\\)|\\(required\\))$`, 'm'));
    }
    expect(help).toContain('  --errors FILE     rejected rows with line number, column, rule and reason; written only when a row is rejected,');
    expect(help).toContain('\nexit codes:\n  0    done\n');
  });

  it.each([
    [['--input', 'a.csv', '--output', 'b.csv', '--nope'], 'predict: unknown option --nope; see npm run predict -- --help'],
    [['--input', 'a.csv'], 'predict: --output is required; see npm run predict -- --help'],
  ])('exits 2 for %j with one line: %s', async (argv, line) => {
    expect(await predictCli(argv)).toBe(2);
    expect(errors).toEqual([line]);
  });

  it('exits 1 with one line when the input file does not exist', async () => {
    const missing = path.join(work, 'missing.csv');
    expect(await score(missing)).toBe(1);
    expect(errors).toEqual([`predict: input file ${missing} does not exist`]);
    expect(await readdir(out)).toEqual([]);
  });

  it('writes no errors file when no row is rejected, and removes the one an earlier run left', async () => {
    await writeFile(path.join(out, 'scored.errors.csv'), 'line,id,column,rule,reason\n3,901,device_type,category,stale\n');
    expect(await score(SESSIONS)).toBe(0);
    expect(errors).toEqual([`predictions: ${path.join(out, 'scored.csv')}`, 'no rows rejected']);
    expect(await readdir(out)).toEqual(['scored.csv']);
  });

  it('reads the file with --delimiter over the spec dialect, and exits 2 for a delimiter that cannot be one', async () => {
    const text = await readFile(SESSIONS, 'utf8');
    const input = path.join(work, 'semicolons.csv');
    await writeFile(input, text.replace(/,/g, ';'));
    expect(await score(SESSIONS, '--output', path.join(out, 'commas.csv'))).toBe(0);
    expect(await score(input, '--delimiter', ';')).toBe(0);
    expect(errors.at(-1)).toBe('no rows rejected');
    expect(await readFile(path.join(out, 'scored.csv'), 'utf8')).toBe(await readFile(path.join(out, 'commas.csv'), 'utf8'));
    errors.length = 0;
    expect(await score(input, '--delimiter', ';;')).toBe(2);
    expect(errors).toEqual(['predict: --delimiter must be one character, got ";;"; see npm run predict -- --help']);
  });

  it('writes the errors file when a row is rejected, and points at it', async () => {
    const [header, first] = (await readFile(SESSIONS, 'utf8')).split('\n');
    const input = path.join(work, 'one-bad-row.csv');
    await writeFile(input, `${header}\n${first}\n901,1,2,3,Phone,New,0\n`);
    const errorsFile = path.join(out, 'rejected.csv');
    expect(await score(input, '--errors', errorsFile)).toBe(0);
    expect(errors).toEqual([`predictions: ${path.join(out, 'scored.csv')}`, `rejected rows: 1, see ${errorsFile}`]);
    expect(await readFile(errorsFile, 'utf8')).toBe(
      'line,id,column,rule,reason\n3,901,device_type,category,"device_type: ""Phone"" is not one of ""Mobile"", ""Desktop"", ""Tablet"", ""Unknown"""\n',
    );
  });
});

describe('predictCli --shard and --merge', () => {
  it('scores shards that, merged, give the file one run gives, rejected rows included', async () => {
    // The bundled sessions with rows the spec refuses, spread through the file.
    const lines = (await readFile(SESSIONS, 'utf8')).trim().split('\n');
    for (const at of [450, 300, 120, 3]) lines.splice(at, 0, `${9000 + at},-5,2,10,Mobile,New`);
    const input = path.join(out, 'sessions.csv');
    await writeFile(input, lines.join('\n') + '\n');
    expect(await score(input)).toBe(0);
    const whole = await readFile(path.join(out, 'scored.csv'), 'utf8');
    const wholeErrors = await readFile(path.join(out, 'scored.errors.csv'), 'utf8');
    const sharded = path.join(out, 'sharded.csv');
    const shard = (spec: string, env: Record<string, string> = {}) => {
      const saved = process.env.JOB_COMPLETION_INDEX;
      Object.assign(process.env, env);
      return predictCli(['--model', model, '--input', input, '--output', sharded, '--shard', spec]).finally(() => {
        if (saved === undefined) delete process.env.JOB_COMPLETION_INDEX;
        else process.env.JOB_COMPLETION_INDEX = saved;
      });
    };
    expect(await shard('0/3')).toBe(0);
    expect(await shard('3', { JOB_COMPLETION_INDEX: '1' })).toBe(0);
    expect(await shard('2/3')).toBe(0);
    expect((await readdir(out)).filter((f) => f.startsWith('sharded.csv.part-')).sort()).toEqual([
      'sharded.csv.part-0',
      'sharded.csv.part-0.json',
      'sharded.csv.part-1',
      'sharded.csv.part-1.json',
      'sharded.csv.part-2',
      'sharded.csv.part-2.json',
    ]);
    expect(await predictCli(['--input', input, '--output', sharded, '--merge'])).toBe(0);
    expect(await readFile(sharded, 'utf8')).toBe(whole);
    expect(await readFile(path.join(out, 'sharded.errors.csv'), 'utf8')).toBe(wholeErrors);
    expect(errors.at(-2)).toMatch(/^merged 3 parts: [\d,]+ of 504 rows scored; predictions: /);
    expect(errors.at(-1)).toMatch(/^rejected rows: 4, see /);
  });

  it('says what is wrong with a shard or a merge', async () => {
    expect(await score(SESSIONS, '--shard', '3/3')).toBe(2);
    expect(await predictCli(['--input', SESSIONS, '--output', path.join(out, 'nothing.csv'), '--merge'])).toBe(1);
    expect(errors.at(-1)).toContain('nothing.csv.part-0.json is missing: that shard was not scored (or not to the end)');
    expect(await predictCli(['--input', SESSIONS, '--output', path.join(out, 'x.csv'), '--merge', '--shard', '1/2'])).toBe(2);
  });
});
