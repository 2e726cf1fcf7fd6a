import { textTable } from '@purchase/cli';
import type { SplitMetrics } from '@purchase/evaluation';

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
 * validation F1 (what selection saw) and the test metrics; the selected model is starred.
 */
export function formatComparisonTable(rows: ComparisonRow[], baseline: { validation: SplitMetrics; test: SplitMetrics }, selected: string): string {
  const header = ['model', 'threshold', 'val F1', 'test F1', 'test precision', 'test recall', 'test ROC AUC', 'test PR AUC', 'test log loss', 'fit s'];
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
