import { quantileOfSorted } from './quantile';
import { checkChoice, checkNumber, checkProbabilities, type Scores } from '@purchase/core';

/** One bin of a reliability (calibration) table. */
export interface ReliabilityBin {
  /** Bin edges: the bin holds scores in (lower, upper]; the first bin also holds `lower` itself. */
  lower: number;
  upper: number;
  count: number;
  /** Mean predicted probability of the rows in the bin. */
  meanPredicted: number;
  /** Share of rows in the bin that are positive. A calibrated model has observedRate ~ meanPredicted. */
  observedRate: number;
}

export type BinStrategy = 'uniform' | 'quantile';

export interface ReliabilityOptions {
  /** Number of bins (default 10). */
  bins?: number;
  /** 'uniform': equal-width bins on [0, 1] (default); 'quantile': edges at score quantiles, so bins hold similar counts. */
  strategy?: BinStrategy;
}

/**
 * Reliability table as scikit-learn's `calibration_curve` computes it (same edges, same
 * assignment of a score on an edge to the lower bin); empty bins are left out, as there.
 * With quantile bins and heavily tied scores several edges coincide and fewer bins remain.
 */
export function reliabilityTable(y: Uint8Array, scores: Scores, options: ReliabilityOptions = {}): ReliabilityBin[] {
  checkProbabilities(y, scores, 'a reliability table');
  const nBins = checkNumber('bins', options.bins ?? 10, { min: 1, integer: true });
  const strategy = checkChoice<BinStrategy>('strategy', options.strategy ?? 'uniform', ['uniform', 'quantile']);
  const edges = strategy === 'uniform' ? uniformEdges(nBins) : quantileEdges(scores, nBins);
  const count = new Float64Array(nBins);
  const sumPredicted = new Float64Array(nBins);
  const sumPositive = new Float64Array(nBins);
  for (let i = 0; i < y.length; i++) {
    const b = binOf(edges, scores[i]);
    count[b]++;
    sumPredicted[b] += scores[i];
    sumPositive[b] += y[i];
  }
  const table: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    if (count[b] === 0) continue;
    table.push({
      lower: edges[b],
      upper: edges[b + 1],
      count: count[b],
      meanPredicted: sumPredicted[b] / count[b],
      observedRate: sumPositive[b] / count[b],
    });
  }
  return table;
}

/** numpy.linspace(0, 1, n + 1): i * (1 / n), the last edge exactly 1. */
function uniformEdges(nBins: number): Float64Array {
  const edges = new Float64Array(nBins + 1);
  const step = 1 / nBins;
  for (let i = 0; i < nBins; i++) edges[i] = i * step;
  edges[nBins] = 1;
  return edges;
}

/** numpy.percentile(scores, linspace(0, 1, n + 1) * 100), reproducing its q -> percent -> q round trip. */
function quantileEdges(scores: Scores, nBins: number): Float64Array {
  const sorted = Float64Array.from(scores).sort();
  const fractions = uniformEdges(nBins);
  const edges = new Float64Array(nBins + 1);
  for (let i = 0; i <= nBins; i++) edges[i] = quantileOfSorted(sorted, (fractions[i] * 100) / 100);
  return edges;
}

/** The number of inner edges strictly below v (numpy.searchsorted(edges[1:-1], v, side='left')). */
function binOf(edges: Float64Array, v: number): number {
  let lo = 0;
  let hi = edges.length - 2; // inner edges are edges[1 .. length-2]
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (edges[mid + 1] < v) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
