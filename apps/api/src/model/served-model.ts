import type { PurchasePredictor } from '@purchase/inference';
import type { CustomerSession } from '../contract/customer-session';

/** A session as the model reads it: every field of the contract but customer_id. */
export type SessionFeatures = Omit<CustomerSession, 'customer_id'>;

/**
 * What the API needs of a loaded model: a PurchasePredictor, or anything with its description and
 * its synchronous batch prediction (tests inject failing ones). Synchronous matters: a request
 * reads the current model and uses it without yielding, so a hot swap can never land in the middle
 * of a prediction.
 */
export type ServedModel = Pick<PurchasePredictor, 'info' | 'predictMany'> & Partial<Pick<PurchasePredictor, 'dispose'>>;

/** Loads and verifies the bundle at a directory; rejects with a message naming what is wrong. */
export type ModelLoader = (dir: string) => Promise<ServedModel>;
