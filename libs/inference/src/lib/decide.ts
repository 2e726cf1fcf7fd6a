/**
 * The one place where a probability becomes the answer users see: the label at the bundle's
 * threshold and the confidence band. The API, the CSV scorer and the CLI all call `decide`.
 */

/** The confidence bands, lowest first. */
export const CONFIDENCE_LEVELS = ['low', 'medium', 'high'] as const;
export type ConfidenceBand = (typeof CONFIDENCE_LEVELS)[number];

/** The reference system's bands, on the purchase probability: low < 0.3 <= medium < 0.7 <= high. */
export const CONFIDENCE_BANDS = { medium: 0.3, high: 0.7 } as const;

export interface Prediction {
  purchase_probability: number;
  /** 1 when purchase_probability >= the bundle's threshold. */
  purchase_prediction: 0 | 1;
  prediction_confidence: ConfidenceBand;
}

export function decide(probability: number, threshold: number): Prediction {
  if (!(probability >= 0 && probability <= 1)) {
    throw new RangeError(`purchase_probability must be in [0, 1], got ${probability}`);
  }
  return {
    purchase_probability: probability,
    purchase_prediction: probability >= threshold ? 1 : 0,
    prediction_confidence: confidenceBand(probability),
  };
}

function confidenceBand(probability: number): ConfidenceBand {
  if (probability >= CONFIDENCE_BANDS.high) return 'high';
  return probability >= CONFIDENCE_BANDS.medium ? 'medium' : 'low';
}
