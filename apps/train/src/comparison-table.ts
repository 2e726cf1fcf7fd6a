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
  const body = rows.map((r) => [
    r.name === selected ? `${r.name} *` : r.name,
    Number.isFinite(r.threshold) ? r.threshold.toFixed(3) : 'none',
    f3(r.validation.f1),
    f3(r.test.f1),
    f3(r.test.precision),
    f3(r.test.recall),
    f3(r.test.rocAuc),
    f3(r.test.prAuc),
    f3(r.test.logLoss),
    r.fitSeconds.toFixed(2),
  ]);
  body.push([
    'always purchase',
    '-',
    f3(baseline.validation.f1),
    f3(baseline.test.f1),
    f3(baseline.test.precision),
    f3(baseline.test.recall),
    f3(baseline.test.rocAuc),
    f3(baseline.test.prAuc),
    f3(baseline.test.logLoss),
    '-',
  ]);
  const table = [header, ...body];
  const widths = header.map((_, i) => Math.max(...table.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ') + ' |';
  return [line(header), '|' + widths.map((w) => '-'.repeat(w + 2)).join('|') + '|', ...body.map(line)].join('\n') + '\n(* selected)';
}
