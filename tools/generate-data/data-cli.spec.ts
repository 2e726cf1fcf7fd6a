import { spawnSync } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { helpText } from '@purchase/cli';
import { DATA_CLI, dataCli } from './data-cli';

const ROOT = path.resolve(__dirname, '../..');

let work: string;
let logs: string[];
let errors: string[];
beforeEach(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'data-cli-'));
  logs = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(async () => {
  jest.restoreAllMocks();
  await rm(work, { recursive: true, force: true });
});

describe('dataCli', () => {
  it('answers --help with every option, its default and the exit codes; exits 0', async () => {
    expect(await dataCli(['--help'])).toBe(0);
    expect(logs).toEqual([helpText(DATA_CLI)]);
    const help = logs[0].replace(/\n {3,}/g, ' ');
    for (const [name, o] of Object.entries(DATA_CLI.options)) expect(help).toMatch(new RegExp(`^  --${name} [A-Z]+ +\\S.*\\(default: ${o.default}\\)$`, 'm'));
    expect(help).toContain('\nexit codes:\n  0    done\n');
  });

  it.each([
    [['--nope'], 'data: unknown option --nope; see npm run data -- --help'],
    [['--rows', '0'], 'data: --rows must be a positive integer, got "0"; see npm run data -- --help'],
    [['--seed', '1.5'], 'data: --seed must be an integer, got "1.5"; see npm run data -- --help'],
  ])('exits 2 for %j with one line: %s', async (argv, line) => {
    expect(await dataCli(argv)).toBe(2);
    expect(errors).toEqual([line]);
  });

  it('exits 1 with one line when the file cannot be written', async () => {
    const file = path.join(work, 'a-file');
    await writeFile(file, '');
    expect(await dataCli(['--out', path.join(file, 'sessions.csv')])).toBe(1);
    expect(errors).toEqual([`data: EEXIST: file already exists, mkdir '${file}'`]);
  });

  it('writes the sessions and exits 0', async () => {
    const file = path.join(work, 'sessions.csv');
    expect(await dataCli(['--rows', '3', '--out', file])).toBe(0);
    expect((await readFile(file, 'utf8')).trimEnd().split('\n')).toHaveLength(4);
    expect(await readdir(work)).toEqual(['sessions.csv']);
    expect(errors).toEqual([expect.stringMatching(new RegExp(`^wrote 3 sessions \\(seed 19\\) to ${file} in [0-9.]+ s$`))]);
  });
});

describe('npm run data (tools/generate-data/main.ts)', () => {
  it('exits with the code of the CLI: 0 for --help, 2 for an unknown option', () => {
    const run = (...argv: string[]) => spawnSync(process.execPath, ['tools/run-ts.mjs', 'tools/generate-data/main.ts', ...argv], { cwd: ROOT, encoding: 'utf8' });
    const help = run('--help');
    expect([help.status, help.stdout]).toEqual([0, `${helpText(DATA_CLI)}\n`]);
    const unknown = run('--nope');
    expect([unknown.status, unknown.stderr]).toEqual([2, 'data: unknown option --nope; see npm run data -- --help\n']);
  });
});
