import type { ScoreMetrics } from './evaluate-scores';

/** The metric that picks the model: 'log_loss' is lower-is-better, the others higher-is-better. */
export type SelectionMetric = 'f1' | 'roc_auc' | 'pr_auc' | 'log_loss' | 'profit';

export const SELECTION_METRICS: readonly SelectionMetric[] = ['f1', 'roc_auc', 'pr_auc', 'log_loss', 'profit'];

/** A candidate's validation metrics; `profit` only when selecting by it. */
export interface CandidateMetrics extends Pick<ScoreMetrics, 'rocAuc' | 'prAuc' | 'logLoss'> {
  f1: number;
  profit?: number;
}

export interface Candidate {
  name: string;
  metrics: CandidateMetrics;
}

export interface Selection {
  metric: SelectionMetric;
  /** Name and position (in the given list) of the chosen candidate. */
  best: string;
  index: number;
  value: number;
  /** Every candidate, best first. */
  ranking: { name: string; value: number }[];
}

const FIELD: Record<SelectionMetric, keyof CandidateMetrics> = {
  f1: 'f1',
  roc_auc: 'rocAuc',
  pr_auc: 'prAuc',
  log_loss: 'logLoss',
  profit: 'profit',
};

/**
 * Picks the candidate with the best validation value of `metric`. Exact ties go to the candidate
 * listed first, so callers should list simpler models first (a tie then keeps the simpler one).
 */
export function selectBestModel(candidates: Candidate[], metric: SelectionMetric = 'f1'): Selection {
  if (!SELECTION_METRICS.includes(metric)) {
    throw new Error(`unknown selection metric '${metric}'; use one of ${SELECTION_METRICS.join(', ')}`);
  }
  if (candidates.length === 0) throw new Error('no candidates to select from');
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.name)) throw new Error(`two candidates are named "${c.name}"`);
    seen.add(c.name);
  }
  const field = FIELD[metric];
  const values = candidates.map((c) => {
    const v = c.metrics[field];
    if (typeof v !== 'number' || !Number.isFinite(v)) {
      throw new Error(`candidate "${c.name}" has no finite ${metric} (got ${String(v)})`);
    }
    return v;
  });
  const sign = metric === 'log_loss' ? -1 : 1;
  const order = candidates.map((_, i) => i).sort((a, b) => sign * (values[b] - values[a]) || a - b);
  return {
    metric,
    best: candidates[order[0]].name,
    index: order[0],
    value: values[order[0]],
    ranking: order.map((i) => ({ name: candidates[i].name, value: values[i] })),
  };
}
