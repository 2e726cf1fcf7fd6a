import type { ModelEvent, ModelLease, ReloadOutcome } from './model-holder';
import type { ServingContract } from '../contract/serving-contract';
import type { ServedModel } from './served-model';

/** What the routes need of the model holder: the model in service, leases on it, and reloading it. */
export interface ModelSource {
  readonly current: ServedModel | undefined;
  /** The request contract of the model in service. */
  readonly contract: ServingContract | undefined;
  acquire(): ModelLease | undefined;
  reload(): Promise<ReloadOutcome>;
  onEvent(listener: (event: ModelEvent) => void): void;
}
