import type { ModelCard } from '@purchase/evaluation';

export interface ModelCardFacts {
  /** File name of the training data. */
  dataFile: string;
  dataSha256: string;
  keptRows: number;
  /** Data lines of the file, kept and rejected. */
  totalRows: number;
  specName: string;
  seed: number;
}

/** The model card of every bundle: intended use, the data it was trained on, limitations, what it is not for. */
export function modelCard(facts: ModelCardFacts): ModelCard {
  return {
    intendedUse:
      'Score a browsing session for the probability that it ends in a purchase, to decide whom to target (offers, ' +
      'assistance) at the threshold shown. A decision aid for marketing, not for decisions with legal or similar effect on a person.',
    data: `${facts.dataFile} (SHA-256 ${facts.dataSha256.slice(0, 12)}…), ${facts.keptRows} rows kept of ${facts.totalRows}; spec "${facts.specName}". Split 70/15/15 stratified, seed ${facts.seed}.`,
    limitations: [
      'Trained on one dataset: scores are calibrated to its purchase rate and may not transfer to other shops or seasons.',
      'Missing values are imputed with training statistics; a session with many missing fields gets a less informed score.',
      'Small validation and test splits give wide confidence intervals; read the intervals, not only the point estimates.',
    ],
    outOfScope: ['Credit, pricing or any decision about an individual beyond marketing contact.'],
  };
}
