import { textTable } from '@purchase/cli';
import type { StepTiming } from '@purchase/training';

/**
 * Where a training's wall time went, as the training CLI prints it at the end: one line per step
 * (per candidate for fit, score, evaluation and importance), its seconds and share of the total,
 * then the total and the process's peak resident memory.
 */
export function formatTimingTable(timings: readonly StepTiming[], totalSeconds: number, peakRssBytes: number): string {
  const rows = timings.map((t) => [t.candidate === undefined ? t.step : `${t.step} ${t.candidate}`, t.seconds.toFixed(2), share(t.seconds, totalSeconds)]);
  const accounted = timings.reduce((sum, t) => sum + t.seconds, 0);
  rows.push(['other (spec, progress, printing)', Math.max(0, totalSeconds - accounted).toFixed(2), share(Math.max(0, totalSeconds - accounted), totalSeconds)]);
  rows.push(['total', totalSeconds.toFixed(2), '100%']);
  const table = textTable(['step', 'wall s', 'share'], rows, { align: 'numbers' });
  return `${table}\npeak memory (max RSS): ${(peakRssBytes / 1048576).toFixed(0)} MB`;
}

function share(part: number, whole: number): string {
  return whole > 0 ? `${((100 * part) / whole).toFixed(0)}%` : '-';
}
