import { appendFile, cp, mkdtemp, readdir, readFile, readlink, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { TRAIN_CLI, trainCommand } from './cli-options';
import { helpText, parseCommandLine } from '@purchase/cli';
import { trainCli } from './train-cli';

function parseTrainArgs(argv: string[]) {
  const args = parseCommandLine(TRAIN_CLI, argv);
  if (args.help) throw new Error('expected a command line, not --help');
  return trainCommand(args);
}

describe('trainCommand', () => {
  it('defaults to the bundled sessions, their spec, models/, seed 42, all four models, F1', () => {
    expect(parseTrainArgs([])).toEqual({
      data: 'data/raw/customer_sessions.csv',
      spec: 'data/specs/customer-sessions.json',
      out: 'models',
      seed: 42,
      models: ['lr', 'mlp', 'gbdt', 'rf'],
      select: 'f1',
      thresholdRule: 'f1',
      calibration: 'auto',
      cvRepeats: 1,
      tune: 0,
      maxRejected: 0.05,
      resamples: 1000,
      costs: {},
    });
  });

  it('reads every option', () => {
    const o = parseTrainArgs(['--models', 'gbdt,lr', '--select', 'roc_auc', '--threshold', 'profit', '--calibration', 'isotonic', '--value', '25', '--cost', '3', '--seed', '7']);
    expect(o.models).toEqual(['gbdt', 'lr']);
    expect(o.select).toBe('roc_auc');
    expect(o.thresholdRule).toBe('profit');
    expect(o.calibration).toBe('isotonic');
    expect(o.costs).toEqual({ foundPurchaseValue: 25, nonBuyerTargetingCost: 3 });
    expect(o.seed).toBe(7);
  });

  it('reads --cv and --cv-repeats; without --cv the row count decides', () => {
    expect(parseTrainArgs(['--cv', '3', '--cv-repeats', '2'])).toMatchObject({ cvFolds: 3, cvRepeats: 2 });
    expect(parseTrainArgs(['--cv', '0'])).toMatchObject({ cvFolds: 0 });
    expect(parseTrainArgs([]).cvFolds).toBeUndefined();
    expect(parseTrainArgs(['--tune', '20'])).toMatchObject({ tune: 20 });
    // Any listed model with a search space will do: lr is trained as it is beside it.
    expect(parseTrainArgs(['--tune', '3', '--models', 'lr,rf'])).toMatchObject({ tune: 3, models: ['lr', 'rf'] });
  });

  it('reads --delimiter', () => {
    expect(parseTrainArgs(['--delimiter', ';'])).toMatchObject({ delimiter: ';' });
  });

  it('reads --from-bundle with --out, and nothing else is needed', () => {
    expect(parseTrainArgs(['--from-bundle', 'cache/bundle', '--out', 'elsewhere'])).toMatchObject({ fromBundle: 'cache/bundle', out: 'elsewhere' });
  });

  it.each([
    [['--models', 'lr,xgb'], '--models must list some of lr, mlp, gbdt, rf; unknown: "xgb"'],
    [['--models', 'lr,lr'], '--models lists a model twice: "lr,lr"'],
    [['--select', 'accuracy'], '--select must be one of f1, roc_auc, pr_auc, log_loss, profit, got "accuracy"'],
    [['--seed=-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--threshold', 'half'], '--threshold must be f1 or profit, got "half"'],
    [['--cv', '1'], '--cv must be 0 (the validation split) or an integer >= 2 (folds), got "1"'],
    [['--cv-repeats', '0'], '--cv-repeats must be an integer >= 1, got "0"'],
    [['--tune', '2.5'], '--tune must be an integer >= 0, got "2.5"'],
    [['--tune', '5', '--models', 'lr'], '--tune searches the hyperparameters of mlp, gbdt, rf; --models "lr" lists none of them'],
    [['--calibration', 'beta'], '--calibration must be one of auto, none, platt, isotonic, got "beta"'],
    [['--cost', 'cheap'], '--cost must be a number >= 0, got "cheap"'],
    [['--max-rejected', '5'], '--max-rejected is a share of rows between 0 and 1, got "5"'],
    [['--delimiter', ''], '--delimiter must be one character, got ""'],
    [['--delimiter', '\n'], '--delimiter must not be a line break'],
    [['--from-bundle', 'b', '--delimiter', ';'], '--from-bundle publishes a bundle trained before; --delimiter would not be used'],
    [['--from-bundle', 'b', '--seed', '7', '--models', 'lr'], '--from-bundle publishes a bundle trained before; --seed, --models would not be used'],
  ])('rejects %j with "%s"', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});

describe('trainCli', () => {
  let work: string;
  let logs: string[];
  let errors: string[];
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'train-cli-'));
    logs = [];
    errors = [];
    jest.spyOn(console, 'log').mockImplementation((line: string) => void logs.push(line));
    jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await rm(work, { recursive: true, force: true });
  });

  it('answers --help with every option, its default and the exit codes, and exits 0', async () => {
    expect(await trainCli(['--help'])).toBe(0);
    expect(logs).toEqual([helpText(TRAIN_CLI)]);
    const help = logs[0].replace(/\n {3,}/g, ' ');
    for (const name of Object.keys(TRAIN_CLI.options)) expect(help).toMatch(new RegExp(`^  --${name} [A-Z]+ +\\S.*\\(default: [^)]+\\)$`, 'm'));
    expect(help).toContain('  --from-bundle DIR     instead of training, publish the bundle trained before at DIR: verify it,');
    expect(help).toContain('  --seed N              seeds the split, model initialisation, sampling, bootstrap and permutation (default: 42)');
    expect(help).toMatch(/^exit codes:\n  0    done\n  1    failed.*\n  2    usage.*\n  130  .*SIGINT.*\n  143  .*SIGTERM$/m);
    expect(errors).toEqual([]);
  });

  it('exits 2 with one line naming an unknown option', async () => {
    expect(await trainCli(['--nope'])).toBe(2);
    expect(errors).toEqual(['train: unknown option --nope; see npm run train -- --help']);
  });

  it('exits 2 with one line naming a bad value', async () => {
    expect(await trainCli(['--select', 'accuracy'])).toBe(2);
    expect(errors).toEqual(['train: --select must be one of f1, roc_auc, pr_auc, log_loss, profit, got "accuracy"; see npm run train -- --help']);
  });

  it('exits 1 with the validation message for an empty data file, and writes no bundle', async () => {
    const empty = path.join(work, 'empty.csv');
    await writeFile(empty, '');
    const out = path.join(work, 'models');
    expect(await trainCli(['--data', empty, '--out', out])).toBe(1);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatch(new RegExp(`^train: .*${path.basename(empty)}.*empty`, 'i'));
    await expect(readdir(out)).rejects.toThrow(/ENOENT/);
  });

  it('trains on a ";"-separated file with --delimiter, and refuses it without', async () => {
    jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
    const semicolons = path.join(work, 'semicolons.csv');
    await writeFile(semicolons, (await readFile(path.resolve(__dirname, '../../../data/raw/customer_sessions.csv'), 'utf8')).replace(/,/g, ';'));
    const out = path.join(work, 'models-semicolons');
    expect(await trainCli(['--data', semicolons, '--out', out, '--models', 'lr', '--resamples', '10'])).toBe(1);
    expect(errors[0]).toMatch(/is not comma-separated CSV: .* it has semicolons: read it with --delimiter ";"/);
    expect(await trainCli(['--data', semicolons, '--delimiter', ';', '--out', out, '--models', 'lr', '--resamples', '10'])).toBe(0);
    expect(logs.join('\n')).toMatch(/^\s*kept\s+500\b/m);
    // The bundle records how its data was read: scoring a file of the same shape needs no flag.
    const manifest = JSON.parse(await readFile(path.join(out, 'current', 'manifest.json'), 'utf8'));
    expect(manifest.spec.csv).toEqual({ delimiter: ';', quote: '"' });
  }, 60_000);

  describe('--from-bundle', () => {
    let trained: string;
    beforeAll(async () => {
      trained = await mkdtemp(path.join(os.tmpdir(), 'train-cli-bundle-'));
      jest.spyOn(console, 'log').mockImplementation(() => undefined);
      jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
      expect(await trainCli(['--out', trained, '--models', 'lr', '--resamples', '10'])).toBe(0);
      jest.restoreAllMocks();
    }, 60_000);
    afterAll(() => rm(trained, { recursive: true, force: true }));

    it('publishes the bundle without training, then reuses it, and exits 0', async () => {
      const source = path.join(trained, 'current');
      const version = await readlink(source);
      const out = path.join(work, 'models');
      expect(await trainCli(['--from-bundle', source, '--out', out])).toBe(0);
      expect(await trainCli(['--from-bundle', source, '--out', out])).toBe(0);
      const current = path.join(out, 'current');
      expect(logs.filter((l) => l.startsWith('bundle: '))).toEqual([
        `bundle: ${path.join(out, version)} (version ${version}, copied from ${source}); ${current} -> ${version}`,
        `bundle: ${path.join(out, version)} (version ${version}, already there, reused); ${current} -> ${version}`,
      ]);
      expect((await readdir(out)).sort()).toEqual([version, 'current', 'history.json'].sort());
      expect(await readlink(current)).toBe(version);
      expect(errors).toEqual([]);
    });

    it('exits 1 with the verification message for a corrupt bundle, and writes nothing', async () => {
      const corrupt = path.join(work, 'corrupt');
      await cp(path.join(trained, await readlink(path.join(trained, 'current'))), corrupt, { recursive: true });
      await appendFile(path.join(corrupt, 'report.md'), 'edited\n');
      const out = path.join(work, 'models');
      expect(await trainCli(['--from-bundle', corrupt, '--out', out])).toBe(1);
      expect(errors).toEqual([`train: bundle ${corrupt} is invalid: report.md does not match its SHA-256 in manifest.json`]);
      await expect(readdir(out)).rejects.toThrow(/ENOENT/);
    });
  });
});
