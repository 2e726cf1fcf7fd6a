import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PurchasePredictor, verifyBundle } from '@purchase/inference';
import { calibrateOne, LogisticRegression, type CalibrationMap } from '@purchase/models';
import { readDataset, loadSpec } from '@purchase/preprocessing';
import { SESSIONS_CSV, SESSIONS_SPEC, sessionsTraining } from '../test-fixtures/sessions-training';
import { trainAndPublish, type TrainingOptions, type TrainingResult } from './train-and-publish';

let work: string;
// On the validation split: what calibration does there is the point; under cross-validation it is fitted the same way, out of fold.
const options = (out: string, overrides: Partial<TrainingOptions> = {}): TrainingOptions =>
  sessionsTraining(out, { models: ['lr'], resamples: 50, cvFolds: 0, ...overrides });

/** metrics.json without the wall times, which differ from run to run. */
function withoutTimes(metrics: TrainingResult['metrics']): unknown {
  return { ...metrics, models: Object.fromEntries(Object.entries(metrics.models).map(([name, m]) => [name, { ...m, fitSeconds: 0 }])) };
}

beforeAll(async () => {
  work = await mkdtemp(path.join(os.tmpdir(), 'candidate-calibration-'));
});
afterAll(() => rm(work, { recursive: true, force: true }));

describe('calibration in training, on an overconfident logistic regression (logits times 4)', () => {
  const predictProba = LogisticRegression.prototype.predictProba;
  let spy: jest.SpyInstance;
  let auto: TrainingResult;
  let again: TrainingResult;
  let none: TrainingResult;

  beforeAll(async () => {
    spy = jest.spyOn(LogisticRegression.prototype, 'predictProba').mockImplementation(function (this: LogisticRegression, X) {
      const p = predictProba.call(this, X);
      return p.map((q) => 1 / (1 + Math.pow((1 - q) / q, 4)));
    });
    auto = await trainAndPublish(options(path.join(work, 'auto'), { version: 'auto' }));
    again = await trainAndPublish(options(path.join(work, 'again'), { version: 'again' }));
    none = await trainAndPublish(options(path.join(work, 'none'), { version: 'none', calibration: 'none' }));
  }, 120_000);
  afterAll(() => spy.mockRestore());

  it('chooses a calibration on validation that lowers the test log loss and the ECE of the overconfident model', () => {
    const c = auto.metrics.models.lr.calibration;
    expect(c).toMatchObject({ setting: 'auto', fittedOn: 'validation', split: 'test' });
    expect(c.method).not.toBe('none');
    // The chosen method has the lowest cross-fitted log loss on validation, well below the raw one.
    expect(c.crossFittedLogLoss[c.method]).toBe(Math.min(...Object.values(c.crossFittedLogLoss)));
    expect(c.crossFittedLogLoss[c.method]).toBeLessThan(c.crossFittedLogLoss.none - 0.05);
    // On test: the metrics are on the calibrated probabilities, and calibrating lowered log loss and ECE.
    expect(auto.metrics.models.lr.test.logLoss).toBe(c.after.logLoss);
    expect(c.after.logLoss).toBeLessThan(c.before.logLoss - 0.05);
    expect(c.after.ece).toBeLessThan(c.before.ece);
    // Uncalibrated, the run keeps the raw probabilities: its test log loss is the raw one.
    expect(none.metrics.models.lr.calibration).toMatchObject({ method: 'none', setting: 'none' });
    expect(none.metrics.models.lr.test.logLoss).toBe(c.before.logLoss);
    expect(none.metrics.models.lr.calibration.before).toEqual(none.metrics.models.lr.calibration.after);
  });

  it('is reproducible from the seed', () => {
    expect(withoutTimes(again.metrics)).toEqual(withoutTimes(auto.metrics));
  });

  it('publishes the calibration in the manifest, and the served probabilities are the calibrated raw ones', async () => {
    const manifest = await verifyBundle(auto.bundle.dir);
    const map = manifest.model.calibration as CalibrationMap;
    expect(map.method).toBe(auto.metrics.models.lr.calibration.method);
    expect((await verifyBundle(none.bundle.dir)).model.calibration).toBeUndefined();
    const { records } = await readDataset(SESSIONS_CSV, await loadSpec(SESSIONS_SPEC));
    const calibrated = await PurchasePredictor.load(auto.bundle.dir);
    const raw = await PurchasePredictor.load(none.bundle.dir);
    try {
      const served = calibrated.predictMany(records.slice(0, 100));
      const unserved = raw.predictMany(records.slice(0, 100));
      served.forEach((p, i) => expect(p.purchase_probability).toBe(calibrateOne(map, unserved[i].purchase_probability)));
      // Thresholded after calibration, at the threshold chosen on calibrated validation probabilities.
      served.forEach((p) => expect(p.purchase_prediction).toBe(p.purchase_probability >= manifest.model.threshold ? 1 : 0));
    } finally {
      calibrated.dispose();
      raw.dispose();
    }
  });

  it('shows the method, the cross-fitted log losses and ECE before and after in both reports', async () => {
    const c = auto.metrics.models.lr.calibration;
    const ece = `${c.before.ece.toFixed(3)} → ${c.after.ece.toFixed(3)}`;
    for (const file of ['report.md', 'report.html']) {
      const text = await readFile(path.join(auto.bundle.dir, file), 'utf8');
      expect(text).toContain('Probability calibration');
      expect(text).toContain('isotonic (cross-fitted log loss)');
      expect(text).toContain(ece);
      expect(text).toContain('Raw, before calibration:');
    }
  });
});

it('refuses an unknown calibration before reading anything', async () => {
  await expect(trainAndPublish(options(path.join(work, 'bad'), { calibration: 'beta' as TrainingOptions['calibration'] }))).rejects.toThrow(
    'calibration must be one of auto, none, platt, isotonic, got "beta"',
  );
});
