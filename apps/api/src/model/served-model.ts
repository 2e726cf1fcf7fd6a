import type { PurchasePredictor } from '@purchase/inference';

/**
 * What the API needs of a loaded model: a PurchasePredictor, or anything with its description, its
 * spec and its synchronous batch prediction of checked rows (tests inject failing ones).
 * Synchronous matters: a request reads the current model and uses it without yielding, so a hot
 * swap can never land in the middle of a prediction.
 */
export type ServedModel = Pick<PurchasePredictor, 'info' | 'spec' | 'predictChecked'> & Partial<Pick<PurchasePredictor, 'dispose'>>;

/** Loads and verifies the bundle at a directory; rejects with a message naming what is wrong. */
export type ModelLoader = (dir: string) => Promise<ServedModel>;
