import { textTable } from '@purchase/cli';
import type { SplitMetrics } from '@purchase/evaluation';
import type { TrainingMetrics } from '@purchase/training';

export interface ComparisonRow {
  name: string;
  threshold: number;
  fitSeconds: number;
  validation: SplitMetrics;
  test: SplitMetrics;
}

const f3 = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'n/a');

/**
 * The table the training CLI prints: every model and the always-purchase baseline side by side,
 * validation or out-of-fold F1 (what selection saw) and the test metrics; the selected model is starred.
 */
export function formatComparisonTable(
  rows: ComparisonRow[],
  baseline: { validation: SplitMetrics; test: SplitMetrics },
  selected: string,
  heldOut: 'validation' | 'out-of-fold' = 'validation',
): string {
  const header = ['model', 'threshold', heldOut === 'out-of-fold' ? 'oof F1' : 'val F1', 'test F1', 'test precision', 'test recall', 'test ROC AUC', 'test PR AUC', 'test log loss', 'fit s'];
  const cells = (name: string, threshold: string, validation: SplitMetrics, test: SplitMetrics, fit: string) => [
    name,
    threshold,
    f3(validation.f1),
    f3(test.f1),
    f3(test.precision),
    f3(test.recall),
    f3(test.rocAuc),
    f3(test.prAuc),
    f3(test.logLoss),
    fit,
  ];
  const body = rows.map((r) =>
    cells(
      r.name === selected ? `${r.name} *` : r.name,
      Number.isFinite(r.threshold) ? r.threshold.toFixed(3) : 'none',
      r.validation,
      r.test,
      r.fitSeconds.toFixed(2),
    ),
  );
  body.push(cells('always purchase', '-', baseline.validation, baseline.test, '-'));
  return `${textTable(header, body, { align: 'numbers' })}\n(* selected)`;
}

/** One line of the models' calibrations: each method (and how it was chosen), and test ECE and log loss, raw → calibrated. */
export function formatCalibrationLine(metrics: TrainingMetrics): string {
  const models = Object.entries(metrics.models);
  const setting = models[0]?.[1].calibration.setting ?? 'auto';
  const parts = models.map(
    ([name, m]) =>
      `${name} ${m.calibration.method} (test ECE ${f3(m.calibration.before.ece)} → ${f3(m.calibration.after.ece)}, ` +
      `log loss ${f3(m.calibration.before.logLoss)} → ${f3(m.calibration.after.logLoss)})`,
  );
  return `calibration (${setting === 'auto' ? `auto: lowest cross-fitted log loss on ${metrics.selection.chosenOn}` : setting}): ${parts.join('; ')}`;
}
