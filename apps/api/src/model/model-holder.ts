import { isDeepStrictEqual } from 'node:util';
import type { Logger } from 'pino';
import { ServingContract } from '../contract/serving-contract';
import type { ModelLoader, ServedModel } from './served-model';

export type ModelEvent = { outcome: 'loaded'; model: ServedModel; contract: ServingContract } | { outcome: 'refused'; error: Error };

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
  /** The request contract derived from the model's spec. */
  readonly contract: ServingContract;
  release(): void;
}

interface Served {
  model: ServedModel;
  contract: ServingContract;
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

/** A loaded and checked bundle, not yet in service (ModelHolder.prepare). */
export interface PreparedModel {
  readonly version: string;
  /** Swaps it in; the outcome is reload's. */
  commit(): ReloadOutcome;
  /** Disposes it; the model in service stays. */
  abort(): void;
}

export interface ModelHolderOptions {
  dir: string;
  load: ModelLoader;
  logger: Logger;
  /** The largest batch of the contracts built from the bundles' specs (default DEFAULT_MAX_BATCH). */
  maxBatch?: number;
  /**
   * Whether a reload may change the request contract (ALLOW_SCHEMA_CHANGE). Default false: clients
   * are built against the contract, so a bundle that reads other fields, or the same fields with
   * other rules, is refused with the fields named.
   */
  allowSchemaChange?: boolean;
}

export class ModelHolder {
  private served: Served | undefined;
  private queue: Promise<unknown> = Promise.resolve();
  private readonly listeners: ((event: ModelEvent) => void)[] = [];

  constructor(private readonly options: ModelHolderOptions) {}

  /** The model in service (for descriptions; answers use a lease). */
  get current(): ServedModel | undefined {
    return this.served?.model;
  }

  /** The request contract of the model in service. */
  get contract(): ServingContract | undefined {
    return this.served?.contract;
  }

  /** Leases the model in service; undefined while there is none. */
  acquire(): ModelLease | undefined {
    const served = this.served;
    if (!served) return undefined;
    served.leases++;
    let released = false;
    return {
      model: served.model,
      contract: served.contract,
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
    return this.queued(async () => (await this.loadAndCheck(this.options.dir)).commit());
  }

  /**
   * The first half of a reload, for a reload agreed among several processes (WORKERS): loads and
   * checks the bundle at `dir` (a resolved path, so every process loads the same bundle) without
   * swapping it in. Rejects with ModelRefusedError as reload does; otherwise `commit()` swaps it in
   * and `abort()` disposes it. Reloads wait while a prepared model is neither.
   */
  prepare(dir: string): Promise<PreparedModel> {
    let settle: () => void = () => undefined;
    const settled = new Promise<void>((resolve) => (settle = resolve));
    const prepared = this.queued(() => this.loadAndCheck(dir));
    // The queue moves on once the prepared model is committed or aborted (or was refused).
    this.queue = prepared.then(() => settled, () => undefined);
    return prepared.then((p) => {
      let done = false;
      const once = <T>(action: () => T): T => {
        if (done) throw new Error('this prepared model was already committed or aborted');
        done = true;
        try {
          return action();
        } finally {
          settle();
        }
      };
      return { version: p.version, commit: () => once(p.commit), abort: () => once(p.abort) };
    });
  }

  private queued<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async loadAndCheck(dir: string): Promise<PreparedModel> {
    const { load, logger } = this.options;
    let next: ServedModel | undefined;
    let contract: ServingContract;
    try {
      next = await load(dir);
      contract = this.contractFor(next);
      if (this.served && !this.options.allowSchemaChange) checkSameContract(this.served.contract, contract);
      checkProbes(next, contract);
    } catch (err) {
      next?.dispose?.();
      const error = new ModelRefusedError(dir, err instanceof Error ? err : new Error(String(err)));
      logger.error({ dir, serving: this.current?.info.version ?? null, reason: error.reason.message }, 'model bundle refused');
      this.emit({ outcome: 'refused', error });
      throw error;
    }
    const model = next;
    return {
      version: model.info.version,
      commit: () => this.swapIn(dir, model, contract),
      abort: () => {
        model.dispose?.();
        logger.info({ dir, version: model.info.version }, 'prepared model bundle not used');
      },
    };
  }

  private swapIn(dir: string, next: ServedModel, contract: ServingContract): ReloadOutcome {
    const previous = this.served;
    this.served = { model: next, contract, leases: 0, retired: false };
    if (previous) {
      previous.retired = true;
      disposeIfUnused(previous);
    }
    const previousVersion = previous?.model.info.version ?? null;
    this.options.logger.info({ dir, version: next.info.version, model_type: next.info.model_type, previous: previousVersion }, 'model in service');
    this.emit({ outcome: 'loaded', model: next, contract });
    return { version: next.info.version, previous_version: previousVersion };
  }

  /**
   * The contract of a loaded model: the one in service when the spec is the same (the usual
   * reload), so that class-validator's global metadata does not grow with every reload.
   */
  private contractFor(model: ServedModel): ServingContract {
    const serving = this.served?.contract;
    if (serving && isDeepStrictEqual(serving.spec, model.spec)) return serving;
    return new ServingContract(model.spec, { maxBatch: this.options.maxBatch });
  }

  private emit(event: ModelEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

function disposeIfUnused(served: Served): void {
  if (served.retired && served.leases === 0) served.model.dispose?.();
}

/** A refusal names this many differing fields at most, then counts the rest. */
const MAX_DIFFERENCES_SHOWN = 12;

/** A bundle whose request contract differs from the one in service would break its clients. */
function checkSameContract(serving: ServingContract, next: ServingContract): void {
  const differences = next.differencesFrom(serving);
  if (differences.length === 0) return;
  const shown = differences.length > MAX_DIFFERENCES_SHOWN ? [...differences.slice(0, MAX_DIFFERENCES_SHOWN), `and ${differences.length - MAX_DIFFERENCES_SHOWN} more`] : differences;
  throw new Error(
    `its request contract (spec "${next.spec.name}") differs from the one in service (spec "${serving.spec.name}"): ${shown.join(', ')}; ` +
      'clients are built against the contract, so it is refused (set ALLOW_SCHEMA_CHANGE=true to accept a new contract)',
  );
}

function checkProbes(model: ServedModel, contract: ServingContract): void {
  const probes = contract.probes();
  const problems = probes.map((probe) => contract.single.check(probe)).flat();
  if (problems.length > 0) throw new Error(`its contract refuses its own probe session: ${problems[0].field}: ${problems[0].message}`);
  const answers = model.predictChecked(probes);
  if (answers.length !== probes.length) {
    throw new Error(`the model answered ${answers.length} predictions for ${probes.length} probe sessions`);
  }
  for (const [i, a] of answers.entries()) {
    const p = a.purchase_probability;
    if (!(Number.isFinite(p) && p >= 0 && p <= 1)) {
      throw new Error(`the model's purchase_probability for probe session ${i + 1} is ${p}, not a number in [0, 1]`);
    }
  }
}
