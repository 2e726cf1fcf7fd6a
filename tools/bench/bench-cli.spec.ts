import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { helpText } from '@purchase/cli';
import { benchCli, benchDeclaration, SECTIONS, type BenchSection } from './bench-cli';

const ROOT = path.resolve(__dirname, '../..');

let logs: string[];
let errors: string[];
beforeEach(() => {
  logs = [];
  errors = [];
  jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
  jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
});
afterEach(() => jest.restoreAllMocks());

/** Sections that run in no time: the CLI, not the benchmarks, is under test. */
const ran: string[] = [];
const fake = (name: string, run = async () => void ran.push(name)): BenchSection => ({ meaning: `the ${name} section`, run });

describe('benchCli', () => {
  it('answers --help with every section and its meaning, --help itself and the exit codes; exits 0', async () => {
    expect(await benchCli(['--help'])).toBe(0);
    expect(logs).toEqual([helpText(benchDeclaration(SECTIONS))]);
    const help = logs[0].replace(/\n {3,}/g, ' ');
    expect(help.split('\n')[0]).toBe('usage: npm run bench -- [options] [section ...]');
    for (const [name, s] of Object.entries(SECTIONS)) expect(help).toContain(`\n  ${name.padEnd(12)}${s.meaning}\n`);
    expect(help).toContain('\n  -h, --help  print this help and exit\n');
    expect(help).toContain('\nexit codes:\n  0    done\n');
  });

  it.each([
    [['nosuch'], 'bench: unknown section "nosuch" (one of data, features, models, tfjs-fit, trees, tuning, evaluation, training, inference, api); see npm run bench -- --help'],
    [['--nope'], 'bench: unknown option --nope; see npm run bench -- --help'],
  ])('exits 2 for %j with one line: %s', async (argv, line) => {
    expect(await benchCli(argv)).toBe(2);
    expect(errors).toEqual([line]);
  });

  it('runs the sections asked for, in that order, or all of them; exits 0', async () => {
    ran.length = 0;
    const sections = { a: fake('a'), b: fake('b') };
    expect(await benchCli(['b', 'a'], sections)).toBe(0);
    expect(await benchCli([], sections)).toBe(0);
    expect(ran).toEqual(['b', 'a', 'a', 'b']);
    expect(logs).toEqual(['\n## b\n', '\n## a\n', '\n## a\n', '\n## b\n']);
  });

  it('exits 1 with one line when a section fails', async () => {
    const sections = { a: fake('a', async () => Promise.reject(new Error('autocannon is not installed'))) };
    expect(await benchCli(['a'], sections)).toBe(1);
    expect(errors).toEqual(['bench: autocannon is not installed']);
  });
});

describe('npm run bench (tools/bench/main.ts)', () => {
  it('exits with the code of the CLI: 0 for --help, 2 for an unknown section', () => {
    const run = (...argv: string[]) => spawnSync(process.execPath, ['tools/run-ts.mjs', 'tools/bench/main.ts', ...argv], { cwd: ROOT, encoding: 'utf8' });
    const help = run('-h');
    expect([help.status, help.stdout]).toEqual([0, `${helpText(benchDeclaration(SECTIONS))}\n`]);
    const unknown = run('apx');
    expect([unknown.status, unknown.stderr]).toEqual([2, `bench: unknown section "apx" (one of ${Object.keys(SECTIONS).join(', ')}); see npm run bench -- --help\n`]);
  });
});
