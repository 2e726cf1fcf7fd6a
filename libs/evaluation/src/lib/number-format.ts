/**
 * How every number appears in a report, so one quantity always reads the same way:
 * metrics and probabilities 3 decimals, thresholds 4, counts grouped integers, money 2 decimals
 * grouped, p-values 3 decimals or scientific below 0.001. Undefined values print as 'n/a'.
 */
const NA = 'n/a';

export function formatMetric(x: number | null | undefined): string {
  return isNumber(x) ? x.toFixed(3) : NA;
}

/** A signed difference of metrics, e.g. '+0.212', '-0.010'. */
export function formatDifference(x: number): string {
  if (!isNumber(x)) return NA;
  const s = x.toFixed(3);
  if (s === '-0.000') return '+0.000';
  return s.startsWith('-') ? s : `+${s}`;
}

export function formatThreshold(x: number): string {
  if (x === Infinity) return '∞';
  return isNumber(x) ? x.toFixed(4) : NA;
}

export function formatCount(x: number): string {
  return isNumber(x) ? Math.round(x).toLocaleString('en-US') : NA;
}

export function formatMoney(x: number): string {
  return isNumber(x) ? x.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 }) : NA;
}

export function formatPercent(x: number): string {
  return isNumber(x) ? `${(x * 100).toFixed(1)}%` : NA;
}

export function formatPValue(x: number | null): string {
  if (!isNumber(x)) return NA;
  return x < 0.001 ? x.toExponential(1) : x.toFixed(3);
}

function isNumber(x: number | null | undefined): x is number {
  return typeof x === 'number' && Number.isFinite(x);
}
