/** What every model throws when asked to predict, explain or save before it has a fitted state. */
export class NotFittedError extends Error {
  override readonly name = 'NotFittedError';

  /** `model` names the model as its class does ("LogisticRegression"); `disposed` when dispose() released the state. */
  constructor(
    readonly model: string,
    disposed = false,
  ) {
    super(`${model} ${disposed ? 'was disposed' : 'is not fitted'}, call fit() or load a saved model first`);
  }
}

/** Returns a model's fitted state, or throws NotFittedError when there is none. */
export function checkFitted<T>(state: T | null | undefined, model: string, options: { disposed?: boolean } = {}): T {
  if (state === null || state === undefined) throw new NotFittedError(model, options.disposed);
  return state;
}
