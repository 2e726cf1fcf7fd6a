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

/** The best split found for a node (gain in real units, sums in gradient units); feature -1 when the node cannot be split. */
export class SplitCandidate {
  gain = 0;
  feature = -1;
  bin = 0;
  defaultLeft = false;
  gradLeft = 0;
  hessLeft = 0;

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
 * Every row has a hessian above 0 and the sums are exact, so a side holds rows exactly when its
 * hessian sum is above 0.
 *
 * The histogram, G and H (and the candidate's sums) are in gradient units: real values times
 * `scale`. So are lambda, gamma and minChildWeight once scaled, and the gain (scale times the real
 * one): the candidate's gain is divided back.
 */
export function findBestSplit(
  hist: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
  nFeatures: number,
  G: number,
  H: number,
  params: SplitParams,
  scale: number,
  best: SplitCandidate,
): void {
  const lambda = params.lambda * scale;
  const gamma = params.gamma * scale;
  const minChildWeight = params.minChildWeight * scale;
  best.reset();
  let bestGain = MIN_SPLIT_GAIN * scale;
  const parentScore = (G * G) / (H + lambda);
  for (let k = 0; k < nFeatures; k++) {
    const f = features[k];
    const base = layout.offset[f];
    const realBins = layout.slots[f] - 1;
    const miss = base + realBins * 2;
    const gm = hist[miss];
    const hm = hist[miss + 1];
    let gl = 0;
    let hl = 0;
    // The last real bin always stays right: a split needs real values on both sides.
    for (let b = 0, s = base; b < realBins - 1; b++, s += 2) {
      gl += hist[s];
      hl += hist[s + 1];
      if (hl === 0) continue;
      // Missing values go right, and the right side must hold a real value.
      let hr = H - hl;
      if (hl >= minChildWeight && hr >= minChildWeight && hr > hm) {
        const gr = G - gl;
        const gain = (gl * gl) / (hl + lambda) + (gr * gr) / (hr + lambda) - parentScore - gamma;
        if (gain > bestGain) {
          bestGain = gain;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = hm === 0 && hl >= hr;
          best.gradLeft = gl;
          best.hessLeft = hl;
        }
      }
      if (hm === 0) continue;
      // Missing values go left.
      const gl2 = gl + gm;
      const hl2 = hl + hm;
      hr = H - hl2;
      if (hl2 >= minChildWeight && hr >= minChildWeight && hr > 0) {
        const gr = G - gl2;
        const gain = (gl2 * gl2) / (hl2 + lambda) + (gr * gr) / (hr + lambda) - parentScore - gamma;
        if (gain > bestGain) {
          bestGain = gain;
          best.feature = f;
          best.bin = b;
          best.defaultLeft = true;
          best.gradLeft = gl2;
          best.hessLeft = hl2;
        }
      }
    }
  }
  best.gain = best.feature >= 0 ? bestGain / scale : 0;
}
