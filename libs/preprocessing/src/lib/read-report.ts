import type { Imputer } from './imputer';
import type { DatasetReadResult } from './validate-rows';

export interface ReadReportOptions {
  /** How many rejected rows to list one by one (default 20); the rest are counted. */
  maxRejected?: number;
}

function pad(rows: string[][], rightAligned: ReadonlySet<number>): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  return rows.map((r) => '  ' + r.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]) : cell.padEnd(widths[i]))).join('  ').trimEnd());
}

function showFill(value: number | string | boolean | null): string {
  if (typeof value === 'number') return String(Number(value.toPrecision(6)));
  return JSON.stringify(value);
}

const percent = (part: number, whole: number): string => (whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)}%`);

/**
 * The row-level report of a dataset read, as text for the training CLI: rows kept and rejected (and
 * why), missing and imputed cells per column with the rule and, when `imputer` is given, the fitted
 * fill. Every missing cell of a kept row is imputed (a "reject" rule column has none: its row was rejected).
 */
export function formatReadReport(result: DatasetReadResult, imputer?: Imputer, options: ReadReportOptions = {}): string {
  const { report, spec } = result;
  const out: string[] = [];
  out.push(`${report.file} (spec "${report.spec}"): ${report.dataLines} data row${report.dataLines === 1 ? '' : 's'}`);
  out.push(
    ...pad(
      [
        ['kept', String(report.kept), `(positive ${report.positives} = ${percent(report.positives, report.kept)}, negative ${report.negatives})`],
        ['rejected', String(report.rejected), report.rejected === 0 ? '' : `(${percent(report.rejected, report.dataLines)} of the rows)`],
      ],
      new Set([1]),
    ),
  );
  if (report.blankLines.length > 0) out.push(`  blank lines skipped: ${report.blankLines.length} (line ${report.blankLines.join(', ')})`);
  if (report.duplicateRows > 0) {
    const fate = spec.duplicateRows === 'reject' ? 'rejected' : 'kept, as the spec says';
    out.push(`  rows repeating an earlier row exactly: ${report.duplicateRows} (${fate})`);
  }
  if (report.ignoredColumns.length > 0) out.push(`  columns not in the spec, ignored: ${report.ignoredColumns.join(', ')}`);

  out.push('', `missing values in kept rows${imputer ? ` (fills fitted on ${imputer.fittedRows} training rows)` : ''}`);
  const table = [['column', 'missing', 'imputed', 'rule', ...(imputer ? ['fill'] : [])]];
  for (const c of spec.columns) {
    const missing = report.missingByColumn[c.name] ?? 0;
    const rounded = c.type === 'integer' && (c.missing.rule === 'mean' || c.missing.rule === 'median');
    const rule = rounded ? `${c.missing.rule}, rounded` : c.missing.rule;
    const row = [c.name, String(missing), String(c.missing.rule === 'reject' ? 0 : missing), rule];
    if (imputer) row.push(c.missing.rule === 'reject' ? '-' : showFill(imputer.fillFor(c.name)));
    table.push(row);
  }
  out.push(...pad(table, new Set([1, 2])));

  if (report.rejected > 0) {
    const byRule = Object.entries(report.rejectedByRule)
      .map(([rule, n]) => `${rule} ${n}`)
      .join(', ');
    const max = options.maxRejected ?? 20;
    const shown = result.rejected.slice(0, max);
    out.push('', `rejected rows by rule: ${byRule}`);
    out.push(shown.length < report.rejected ? `rejected rows (first ${shown.length} of ${report.rejected})` : 'rejected rows');
    for (const r of shown) out.push(`  line ${r.line}${r.id !== null ? ` (id ${r.id})` : ''}: ${r.reason}`);
  }
  return out.join('\n');
}
