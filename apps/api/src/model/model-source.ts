import type { ModelEvent, ModelLease, ReloadOutcome } from './model-holder';
import type { ServedModel } from './served-model';

/** What the routes need of the model holder: the model in service, leases on it, and reloading it. */
export interface ModelSource {
  readonly current: ServedModel | undefined;
  acquire(): ModelLease | undefined;
  reload(): Promise<ReloadOutcome>;
  onEvent(listener: (event: ModelEvent) => void): void;
}
