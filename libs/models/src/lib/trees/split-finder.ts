import type { HistogramLayout } from './histogram';

export interface SplitParams {
  /** L2 penalty on leaf values. */
  lambda: number;
  /** Loss reduction a split must pay for. */
  gamma: number;
  /** Least hessian sum in each child. */
  minChildWeight: number;
}

/** A split is taken only when it gains more than this (XGBoost's kRtEps): no splits on noise of rounding. */
export const MIN_SPLIT_GAIN = 1e-6;

/** The best split found for a node; feature -1 when the node cannot be split. */
export class SplitCandidate {
  gain = 0;
  feature = -1;
  bin = 0;
  defaultLeft = false;
  gradLeft = 0;
  hessLeft = 0;
  countLeft = 0;

  reset(): void {
    this.gain = 0;
    this.feature = -1;
  }
}

/**
 * Scans each listed feature's histogram left to right. Splitting after bin b sends bins 0..b left;
 * the rows with a missing value try both sides and the better one becomes the split's default
 * direction (XGBoost's sparsity-aware split). When the node has no missing value the default is
 * the side with the larger hessian, where an unseen missing value most likely belongs.
 *
 * gain = G_L^2/(H_L+lambda) + G_R^2/(H_R+lambda) - G^2/(H+lambda) - gamma
 * Ties keep the first candidate (lowest feature, then lowest bin), so growth is deterministic.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nFeatures: number,
  G: number,
  H: number,
  C: number,
  params: SplitParams,
  best: SplitCandidate,
): void {
  const { lambda, gamma, minChildWeight } = params;
  best.reset();
  let bestGain = MIN_SPLIT_GAIN;
  const parentScore = (G * G) / (H + lambda);
  for (let k = 0; k < nFeatures; k++) {
    const f = features[k];
    const base = layout.offset[f];
    const realBins = layout.slots[f] - 1;
    const miss = base + realBins * 3;
    const gm = hist[miss];
    const hm = hist[miss + 1];
    const cm = hist[miss + 2];
    let gl = 0;
    let hl = 0;
    let cl = 0;
    // The last real bin always stays right: a split needs real values on both sides.
    for (let b = 0, s = base; b < realBins - 1; b++, s += 3) {
      gl += hist[s];
      hl += hist[s + 1];
      cl += hist[s + 2];
      if (cl === 0) continue;
      // Missing values go right.
      let hr = H - hl;
      if (hl >= minChildWeight && hr >= minChildWeight && C - cl > cm) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore - gamma;
        if (gain > bestGain) {
          bestGain = gain;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = cm === 0 && hl >= hr;
          best.gradLeft = gl;
          best.hessLeft = hl;
          best.countLeft = cl;
        }
      }
      if (cm === 0) continue;
      // Missing values go left.
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      hr = H - hl2;
      if (hl2 >= minChildWeight && hr >= minChildWeight && C - cl - cm > 0) {
        const gr = G - gl2;
        const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentScore - gamma;
        if (gain > bestGain) {
          bestGain = gain;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = true;
          best.gradLeft = gl2;
          best.hessLeft = hl2;
          best.countLeft = cl + cm;
        }
      }
    }
  }
  best.gain = best.feature >= 0 ? bestGain : 0;
}
