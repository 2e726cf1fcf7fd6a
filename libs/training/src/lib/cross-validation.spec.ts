import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { SeededRandom } from '@purchase/core';
import { FeaturePipeline, type FeatureMatrix } from '@purchase/features';
import { sessionsTraining } from '../test-fixtures/sessions-training';
import { crossValidate, planCrossValidation } from './cross-validation';
import { trainAndPublish, type TrainingOptions, type TrainingResult } from './train-and-publish';

/** 240 rows, 3 columns; the label follows the first column, with noise. */
function dataset(): { X: FeatureMatrix; y: Uint8Array } {
  const random = new SeededRandom(3);
  const rows = 240;
  const data = new Float32Array(rows * 3);
  const y = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < 3; j++) data[i * 3 + j] = random.nextInt(1000) / 1000;
    y[i] = data[i * 3] + random.nextInt(1000) / 2500 > 0.6 ? 1 : 0;
  }
  return { X: { data, rows, cols: 3, columnNames: ['a', 'b', 'c'] }, y };
}

describe('planCrossValidation', () => {
  it('cross-validates 5-fold below 5,000 train + validation rows by default, else uses the validation split', () => {
    expect(planCrossValidation(4_999, undefined, undefined)).toEqual({ folds: 5, repeats: 1 });
    expect(planCrossValidation(5_000, undefined, undefined)).toBeNull();
    expect(planCrossValidation(10_000, 3, 2)).toEqual({ folds: 3, repeats: 2 });
    expect(planCrossValidation(100, 0, 2)).toBeNull();
  });
});

describe('crossValidate', () => {
  const { X, y } = dataset();
  const options = { seed: 11, featureNames: ['a', 'b', 'c'], onProgress: () => undefined };

  it('holds every row out exactly once per repeat, in stratified folds that differ between repeats', async () => {
    const oof = await crossValidate('gbdt', X, y, { folds: 4, repeats: 2 }, options);
    expect(oof.raw).toHaveLength(2 * y.length);
    expect(oof.y).toEqual(Uint8Array.from([...y, ...y]));
    const positives = y.reduce((a, b) => a + b, 0);
    for (let r = 0; r < 2; r++) {
      const folds = oof.fold.subarray(r * y.length, (r + 1) * y.length);
      // Every row in one fold of this repeat: the folds are disjoint and cover the rows.
      for (const f of folds) expect(Math.floor(f / 4)).toBe(r);
      for (let k = 0; k < 4; k++) {
        const rows = [...folds.keys()].filter((i) => folds[i] === r * 4 + k);
        const inFold = rows.filter((i) => y[i] === 1).length;
        expect(Math.abs(inFold - positives / 4)).toBeLessThanOrEqual(1);
        expect(Math.abs(rows.length - inFold - (y.length - positives) / 4)).toBeLessThanOrEqual(1);
      }
    }
    expect(oof.fold.subarray(0, y.length).map((f) => f % 4)).not.toEqual(oof.fold.subarray(y.length).map((f) => f % 4));
    for (const p of oof.raw) expect(p).toBeGreaterThan(0);
    // Boosted trees stop early on each held-out fold; the refit runs to their mean.
    expect(oof.steps).toBeGreaterThanOrEqual(1);
  });

  it('is reproducible from the seed', async () => {
    const a = await crossValidate('lr', X, y, { folds: 3, repeats: 1 }, options);
    const b = await crossValidate('lr', X, y, { folds: 3, repeats: 1 }, options);
    expect(b).toEqual(a);
    expect(a.steps).toBeUndefined();
  });
});

describe('trainAndPublish with cross-validation on the bundled sessions', () => {
  let work: string;
  const options = (out: string, overrides: Partial<TrainingOptions> = {}): TrainingOptions =>
    sessionsTraining(path.join(work, out), { models: ['lr', 'gbdt'], resamples: 20, cvFolds: 3, cvRepeats: 2, ...overrides });
  /** What selection, thresholds and calibration saw: none of it may depend on test. */
  const selectionOf = (r: TrainingResult) => ({
    selection: r.metrics.selection,
    models: Object.fromEntries(
      Object.entries(r.metrics.models).map(([name, m]) => [name, { threshold: m.threshold, thresholds: m.thresholds, validation: m.validation, crossValidation: m.crossValidation, calibration: { ...m.calibration, before: null, after: null } }]),
    ),
  });
  let first: TrainingResult;

  beforeAll(async () => {
    work = await mkdtemp(path.join(os.tmpdir(), 'cross-validation-'));
    first = await trainAndPublish(options('first'));
  }, 120_000);
  afterAll(() => rm(work, { recursive: true, force: true }));

  it('selects on out-of-fold predictions of every repeat, and reports the spread over folds', () => {
    expect(first.metrics.selection).toMatchObject({ chosenOn: 'out-of-fold', crossValidation: { folds: 3, repeats: 2, rows: 425, byDefault: false } });
    for (const m of Object.values(first.metrics.models)) {
      // Out of fold, each of the 425 train + validation rows once per repeat.
      expect(m.validation.tp + m.validation.fp + m.validation.tn + m.validation.fn).toBe(850);
      expect(m.crossValidation).toMatchObject({ folds: 3, repeats: 2, metric: 'f1' });
      expect(m.crossValidation!.rocAuc.sd).toBeGreaterThan(0);
    }
    expect(first.metrics.models.gbdt.crossValidation!.steps).toBeGreaterThanOrEqual(1);
    expect(first.metrics.models.lr.crossValidation!.steps).toBeUndefined();
  });

  it('is reproducible from the seed', async () => {
    const again = await trainAndPublish(options('again'));
    const withoutTimes = (r: TrainingResult) => Object.fromEntries(Object.entries(r.metrics.models).map(([name, m]) => [name, { ...m, fitSeconds: 0 }]));
    expect(withoutTimes(again)).toEqual(withoutTimes(first));
    expect(again.metrics.selection).toEqual(first.metrics.selection);
  }, 120_000);

  it('never looks at the test split: with its features scrambled, selection, thresholds and calibration are the same', async () => {
    const transform = FeaturePipeline.prototype.transformColumns;
    let calls = 0;
    // splitAndTransform transforms train, validation, then test: scramble the third.
    const spy = jest.spyOn(FeaturePipeline.prototype, 'transformColumns').mockImplementation(function (this: FeaturePipeline, ...args) {
      const X = transform.apply(this, args);
      if (calls++ === 2) X.data.reverse();
      return X;
    });
    try {
      const scrambled = await trainAndPublish(options('scrambled'));
      expect(calls).toBe(3);
      expect(selectionOf(scrambled)).toEqual(selectionOf(first));
      expect(scrambled.metrics.models.gbdt.test).not.toEqual(first.metrics.models.gbdt.test);
    } finally {
      spy.mockRestore();
    }
  }, 120_000);
});
