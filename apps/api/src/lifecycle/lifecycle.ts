/**
 * Whether the service is shutting down. Once draining, readiness answers 503 so that a load
 * balancer stops sending traffic, while requests are still answered (each with `Connection:
 * close`, so that clients move to another instance).
 */
export class Lifecycle {
  private isDraining = false;
  private readonly listeners: (() => void)[] = [];

  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    if (this.isDraining) return;
    this.isDraining = true;
    for (const listener of this.listeners) listener();
  }

  /** Called once, when draining starts. */
  onDraining(listener: () => void): void {
    this.listeners.push(listener);
  }
}
