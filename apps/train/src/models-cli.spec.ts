import { mkdtemp, readlink, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { helpText } from '@purchase/cli';
import { MODELS_CLI, modelsCli } from './models-cli';
import { trainCli } from './train-cli';

let work: string;
let models: string;
const versions: string[] = [];
beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'models-cli-'));
  models = path.join(work, 'models');
  jest.spyOn(console, 'log').mockImplementation(() => undefined);
  jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  for (const seed of ['1', '2']) {
    expect(await trainCli(['--out', models, '--models', 'lr', '--resamples', '10', '--seed', seed])).toBe(0);
    versions.push(path.basename(await readlink(path.join(models, 'current'))));
  }
  jest.restoreAllMocks();
}, 60_000);
afterAll(() => rm(work, { recursive: true, force: true }));

let logs: string[];
let errors: string[];
beforeEach(() => {
  logs = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(() => jest.restoreAllMocks());

const run = (...argv: string[]) => modelsCli([...argv, '--models', models]);

describe('npm run models', () => {
  it('lists the bundles with the current and the previous marked', async () => {
    expect(await run('list')).toBe(0);
    const [table] = logs;
    const lines = table.split('\n');
    expect(lines[0]).toMatch(/^\|\s+\| version\s+\| created\s+\| data\s+\| model\s+\| test roc_auc \| test f1\s+\| status/);
    expect(lines[2]).toMatch(new RegExp(`^\\| < \\| ${versions[0]} .*\\| customer_sessions\\.csv \\(500\\) \\| lr @ 0\\.\\d{3} .*\\| ok `));
    expect(lines[3]).toMatch(new RegExp(`^\\| \\* \\| ${versions[1]} `));
  });

  it('promotes, rolls back and diffs, each in one line or one table', async () => {
    expect(await run('promote', versions[0])).toBe(0);
    expect(errors.at(-1)).toBe(`current: ${versions[0]} (was ${versions[1]})`);
    expect(await run('rollback')).toBe(0);
    expect(errors.at(-1)).toBe(`current: ${versions[1]} (rolled back from ${versions[0]})`);
    expect(await readlink(path.join(models, 'current'))).toBe(versions[1]);
    expect(await run('diff', versions[0], versions[1])).toBe(0);
    expect(logs.at(-1)).toMatch(/^\| test roc_auc +\| 0\.\d{4} +\| 0\.\d{4} +\| [+-]?\d/m);
    expect(await run('show', versions[0])).toBe(0);
    expect(JSON.parse(logs.at(-1) as string)).toMatchObject({ version: versions[0], format: 'purchase-bundle' });
  });

  it('prunes with --dry-run first, never the current or the previous', async () => {
    expect(await run('prune', '--keep', '0', '--dry-run')).toBe(0);
    expect(errors.at(-1)).toBe(`would remove 0 bundles; kept ${versions[0]}, ${versions[1]}`);
  });

  it('says what is wrong: exit 2 for usage, 1 for a refusal', async () => {
    expect(await run('promote')).toBe(2);
    expect(errors.at(-1)).toBe('models: promote VERSION: VERSION is missing; see npm run models -- --help');
    expect(await run('promote', 'nope')).toBe(1);
    expect(errors.at(-1)).toMatch(/^models: no bundle at .*nope/);
    expect(await run('prune', '--keep', 'all')).toBe(2);
    expect(await modelsCli(['--help'])).toBe(0);
    expect(logs.at(-1)).toBe(helpText(MODELS_CLI));
  });
});
