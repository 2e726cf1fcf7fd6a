import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseTrainArgs } from './cli-options';
import { trainCli } from './train-cli';

describe('parseTrainArgs', () => {
  it('defaults to the bundled sessions, their spec, models/, seed 42, all four models, F1', () => {
    expect(parseTrainArgs([])).toEqual({
      data: 'data/raw/customer_sessions.csv',
      spec: 'data/specs/customer-sessions.json',
      out: 'models',
      seed: 42,
      models: ['lr', 'mlp', 'gbdt', 'rf'],
      select: 'f1',
      thresholdRule: 'f1',
      maxRejected: 0.05,
      resamples: 1000,
      costs: {},
    });
  });

  it('reads every option', () => {
    const o = parseTrainArgs(['--models', 'gbdt,lr', '--select', 'roc_auc', '--threshold', 'profit', '--value', '25', '--cost', '3', '--seed', '7']);
    expect(o.models).toEqual(['gbdt', 'lr']);
    expect(o.select).toBe('roc_auc');
    expect(o.thresholdRule).toBe('profit');
    expect(o.costs).toEqual({ foundPurchaseValue: 25, nonBuyerTargetingCost: 3 });
    expect(o.seed).toBe(7);
  });

  it.each([
    [['--models', 'lr,xgb'], '--models must list some of lr, mlp, gbdt, rf; unknown: "xgb"'],
    [['--models', 'lr,lr'], '--models lists a model twice: "lr,lr"'],
    [['--select', 'accuracy'], '--select must be one of f1, roc_auc, pr_auc, log_loss, profit, got "accuracy"'],
    [['--seed=-1'], '--seed must be a non-negative integer, got "-1"'],
    [['--threshold', 'half'], '--threshold must be f1 or profit, got "half"'],
    [['--cost', 'cheap'], '--cost must be a number >= 0, got "cheap"'],
    [['--max-rejected', '5'], '--max-rejected is a share of rows between 0 and 1, got "5"'],
  ])('rejects %j with "%s"', (argv, message) => {
    expect(() => parseTrainArgs(argv)).toThrow(message);
  });
});

describe('trainCli', () => {
  let work: string;
  let errors: string[];
  let spy: jest.SpyInstance;
  beforeEach(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'train-cli-'));
    errors = [];
    spy = jest.spyOn(console, 'error').mockImplementation((line: string) => void errors.push(line));
  });
  afterEach(async () => {
    spy.mockRestore();
    await rm(work, { recursive: true, force: true });
  });

  it('exits 2 with the usage for a bad option', async () => {
    expect(await trainCli(['--select', 'accuracy'])).toBe(2);
    expect(errors[0]).toMatch(/^train: --select must be one of .*\nusage: npm run train/);
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
});
