import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { calibrateOne, type CalibrationMap } from '@purchase/models';
import { publishSessionsBundle, readSessions, SESSIONS_CSV } from '../test-fixtures/sessions-bundle';
import { parseManifest } from './bundle-format';
import { PurchasePredictor } from './purchase-predictor';
import { scoreCsvFile } from './score-csv-file';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'calibrated-bundle-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

describe('a bundle with a calibration', () => {
  it('serves calibrated probabilities, thresholded after calibration: one by one, in batches and in CSV scoring alike', async () => {
    const platt: CalibrationMap = { method: 'platt', a: 0.5, b: -0.4 };
    const raw = await PurchasePredictor.load((await publishSessionsBundle(path.join(root, 'raw'), { version: 'raw', threshold: 0.5 })).published.dir);
    const calibrated = await PurchasePredictor.load(
      (await publishSessionsBundle(path.join(root, 'calibrated'), { version: 'calibrated', threshold: 0.5, calibration: platt })).published.dir,
    );
    expect(calibrated.info.calibration).toBe('platt');
    expect(raw.info.calibration).toBe('none');
    const { records } = await readSessions();
    const before = raw.predictMany(records);
    const after = calibrated.predictMany(records);
    after.forEach((p, i) => {
      expect(p.purchase_probability).toBe(calibrateOne(platt, before[i].purchase_probability));
      expect(p.purchase_prediction).toBe(p.purchase_probability >= 0.5 ? 1 : 0);
    });
    // The calibration changes decisions here (a flatter sigmoid pulls probabilities down).
    expect(after.filter((p, i) => p.purchase_prediction !== before[i].purchase_prediction).length).toBeGreaterThan(0);
    for (const i of [0, 7, 99]) expect(calibrated.predictOne(records[i])).toEqual(after[i]);
    const output = path.join(root, 'scored.csv');
    await scoreCsvFile(calibrated, SESSIONS_CSV, output);
    const scored = (await readFile(output, 'utf8')).trim().split('\n').slice(1).map((l) => Number(l.split(',')[1]));
    expect(scored).toEqual(after.map((p) => p.purchase_probability));
    raw.dispose();
    calibrated.dispose();
  });

  it('is part of the hashed manifest, and a broken one is refused with the reason', () => {
    const problems = (calibration: unknown) => parseManifest({ format: 'purchase-bundle', formatVersion: 2, model: { calibration } }).problems.filter((p) => p.includes('calibration'));
    expect(problems({ method: 'platt', a: 1, b: 0 })).toEqual([]);
    expect(problems({ method: 'platt', a: 'x', b: 0 })).toEqual(['manifest.json: "model.calibration" platt needs finite numbers a and b']);
    expect(problems({ method: 'isotonic', x: [0.1, 0.05], y: [0.1, 0.2] })).toEqual(['manifest.json: "model.calibration" isotonic points must be non-decreasing in x and y']);
    expect(problems({ method: 'beta' })).toEqual(['manifest.json: "model.calibration" method must be none, platt or isotonic, got "beta"']);
  });
});
