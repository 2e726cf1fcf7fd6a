import type { Logger } from 'pino';
import { SESSION_FEATURES } from '../contract/customer-session';
import type { ModelLoader, ServedModel, SessionFeatures } from './served-model';

export type ModelEvent = { outcome: 'loaded'; model: ServedModel } | { outcome: 'refused'; error: Error };

export interface ReloadOutcome {
  version: string;
  previous_version: string | null;
}

/**
 * A request's hold on the model that was in service when it arrived: the request is answered by
 * that model even if another is swapped in meanwhile, and a replaced model is disposed only once
 * its last lease is released.
 */
export interface ModelLease {
  readonly model: ServedModel;
  release(): void;
}

interface Served {
  model: ServedModel;
  leases: number;
  retired: boolean;
}

/** Thrown when a bundle is refused; the model that was being served (if any) still is. */
export class ModelRefusedError extends Error {
  constructor(
    readonly dir: string,
    readonly reason: Error,
  ) {
    super(`refused the model bundle at ${dir}: ${reason.message}`, { cause: reason });
    this.name = 'ModelRefusedError';
  }
}

/**
 * Sessions every bundle must score before it is served: one complete, one with every optional
 * measurement missing (so the fitted imputation is exercised too).
 */
const PROBES: SessionFeatures[] = [
  { time_spent: 12.5, pages_viewed: 6, basket_value: 48.9, device_type: 'Desktop', customer_type: 'Returning' },
  { time_spent: null, pages_viewed: null, basket_value: null, device_type: 'Unknown', customer_type: 'New' },
];

/**
 * Holds the model in service and replaces it. A reload loads and verifies the bundle (hashes and
 * format, by the loader), checks that it reads exactly the session fields of this API's contract,
 * scores the probe sessions with it, and only then swaps it in, in one assignment; any failure
 * leaves the current model serving. Requests in flight keep the model they leased; the replaced
 * model is disposed when the last of them is done. Reloads run one at a time, in order, so two
 * close reloads (a SIGHUP and an admin call) cannot race.
 */
export class ModelHolder {
  private served: Served | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((event: ModelEvent) => void)[] = [];

  constructor(
    private readonly options: { dir: string; load: ModelLoader; logger: Logger },
  ) {}

  /** The model in service (for descriptions; answers use a lease). */
  get current(): ServedModel | undefined {
    return this.served?.model;
  }

  /** Leases the model in service; undefined while there is none. */
  acquire(): ModelLease | undefined {
    const served = this.served;
    if (!served) return undefined;
    served.leases++;
    let released = false;
    return {
      model: served.model,
      release: () => {
        if (released) return;
        released = true;
        served.leases--;
        disposeIfUnused(served);
      },
    };
  }

  onEvent(listener: (event: ModelEvent) => void): void {
    this.listeners.push(listener);
  }

  /** Loads the bundle again; resolves once it is in service, rejects with ModelRefusedError. */
  reload(): Promise<ReloadOutcome> {
    const run = this.queue.then(() => this.loadAndSwap());
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadAndSwap(): Promise<ReloadOutcome> {
    const { dir, load, logger } = this.options;
    let next: ServedModel | undefined;
    try {
      next = await load(dir);
      checkFields(next);
      checkProbes(next);
    } catch (err) {
      next?.dispose?.();
      const error = new ModelRefusedError(dir, err instanceof Error ? err : new Error(String(err)));
      logger.error({ dir, serving: this.current?.info.version ?? null, reason: error.reason.message }, 'model bundle refused');
      this.emit({ outcome: 'refused', error });
      throw error;
    }
    const previous = this.served;
    this.served = { model: next, leases: 0, retired: false };
    if (previous) {
      previous.retired = true;
      disposeIfUnused(previous);
    }
    const previousVersion = previous?.model.info.version ?? null;
    logger.info({ dir, version: next.info.version, model_type: next.info.model_type, previous: previousVersion }, 'model in service');
    this.emit({ outcome: 'loaded', model: next });
    return { version: next.info.version, previous_version: previousVersion };
  }

  private emit(event: ModelEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function disposeIfUnused(served: Served): void {
  if (served.retired && served.leases === 0) served.model.dispose?.();
}

/** A bundle trained on another schema (say, the UCI dataset) cannot answer this API's requests. */
function checkFields(model: ServedModel): void {
  const fields = [...model.info.features].sort();
  const expected = [...SESSION_FEATURES].sort();
  if (fields.join() !== expected.join()) {
    throw new Error(`the model reads the fields ${fields.join(', ')}; this API sends ${expected.join(', ')}`);
  }
}

function checkProbes(model: ServedModel): void {
  const answers = model.predictMany(PROBES);
  if (answers.length !== PROBES.length) {
    throw new Error(`the model answered ${answers.length} predictions for ${PROBES.length} probe sessions`);
  }
  for (const [i, a] of answers.entries()) {
    const p = a.purchase_probability;
    if (!(Number.isFinite(p) && p >= 0 && p <= 1)) {
      throw new Error(`the model's purchase_probability for probe session ${i + 1} is ${p}, not a number in [0, 1]`);
    }
  }
}
