import { checkLabels } from '@purchase/core';
import { regularizedIncompleteBeta } from './incomplete-beta';

/** A named numeric column; NaN marks a missing value. */
export interface NumericColumn {
  name: string;
  values: Float32Array | Float64Array;
}

export interface FeatureCorrelation {
  name: string;
  /** Pearson correlation with the 0/1 target (point-biserial); null when undefined (constant column, < 2 rows). */
  correlation: number | null;
  /** Two-sided p-value of correlation = 0 (Student t, n - 2 df), as scipy.stats.pointbiserialr; null when n < 3. */
  pValue: number | null;
  /** Rows where the column is present (pairwise-complete: each column uses its own non-missing rows). */
  n: number;
}

/**
 * Correlation of each raw numeric column with the target: the table the reference system showed.
 * Missing values (NaN) are dropped per column, as pandas' `corr` does. Sorted by |correlation|,
 * largest first (undefined last, then by name), so the report reads top-down.
 */
export function pointBiserialCorrelations(columns: NumericColumn[], y: Uint8Array): FeatureCorrelation[] {
  checkLabels(y);
  const table = columns.map((column) => {
    if (column.values.length !== y.length) {
      throw new Error(`column "${column.name}" has ${column.values.length} values, y has ${y.length}`);
    }
    return correlate(column, y);
  });
  return table.sort(
    (a, b) =>
      (b.correlation === null ? -1 : Math.abs(b.correlation)) - (a.correlation === null ? -1 : Math.abs(a.correlation)) ||
      (a.name < b.name ? -1 : a.name > b.name ? 1 : 0),
  );
}

function correlate({ name, values }: NumericColumn, y: Uint8Array): FeatureCorrelation {
  let n = 0;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(values[i])) continue;
    n++;
    sumX += values[i];
    sumY += y[i];
  }
  if (n < 2) return { name, correlation: null, pValue: null, n };
  // Two passes (means first) keep the sums of squares accurate for large, offset values.
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  for (let i = 0; i < y.length; i++) {
    if (Number.isNaN(values[i])) continue;
    const dx = values[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    syy += dy * dy;
    sxy += dx * dy;
  }
  if (sxx === 0 || syy === 0) return { name, correlation: null, pValue: null, n };
  const r = Math.max(-1, Math.min(1, sxy / Math.sqrt(sxx * syy)));
  return { name, correlation: r, pValue: n < 3 ? null : correlationPValue(r, n), n };
}

/** P(|T| >= |t|) for t = r sqrt((n-2) / (1-r^2)): equals I_{1-r^2}((n-2)/2, 1/2). */
function correlationPValue(r: number, n: number): number {
  const df = n - 2;
  return regularizedIncompleteBeta(1 - r * r, df / 2, 0.5);
}
