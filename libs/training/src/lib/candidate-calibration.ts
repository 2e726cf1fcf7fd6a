import type { Scores } from '@purchase/core';
import { applyCalibration, chooseCalibration, CALIBRATION_METHODS, fitCalibration, type CalibrationMap, type CalibrationMethod } from '@purchase/models';

/** How a training calibrates its candidates: `auto` lets chooseCalibration pick, a method forces it; `none` serves raw probabilities. */
export type CalibrationSetting = 'auto' | CalibrationMethod;
export const CALIBRATION_SETTINGS: readonly CalibrationSetting[] = ['auto', ...CALIBRATION_METHODS];

export function isCalibrationSetting(value: string): value is CalibrationSetting {
  return (CALIBRATION_SETTINGS as readonly string[]).includes(value);
}

/** A candidate's calibration, fitted on its validation predictions, and what it did there. */
export interface CandidateCalibration {
  map: CalibrationMap;
  /** 'auto' when chooseCalibration picked the method, else the method the run was told to use. */
  setting: CalibrationSetting;
  /** Cross-fitted log loss of each method on validation (chooseCalibration's), whichever was used. */
  crossFittedLogLoss: Record<CalibrationMethod, number>;
  folds: number;
}

/**
 * Fits the calibration of one candidate on its validation probabilities (seeded folds). The
 * cross-fitted log loss of every method is measured even when the method is given, so the report
 * can show what the choice costs or saves.
 */
export function calibrateCandidate(setting: CalibrationSetting, y: Uint8Array, validation: Scores, seed: number): CandidateCalibration {
  const choice = chooseCalibration(y, validation, { seed });
  const map = setting === 'auto' ? choice.map : fitCalibration(setting, y, validation);
  return { map, setting, crossFittedLogLoss: choice.logLoss, folds: choice.folds };
}

/** The calibrated probabilities of `raw`; the raw ones themselves when the map is the identity. */
export function calibrated(map: CalibrationMap, raw: Scores): Scores {
  return map.method === 'none' ? raw : applyCalibration(map, raw);
}

/** The log loss selection sees on validation: cross-fitted, so a calibration is not scored on the points it was fitted to. */
export function heldOutLogLoss(c: CandidateCalibration): number {
  return c.crossFittedLogLoss[c.map.method];
}
