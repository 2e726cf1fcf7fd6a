/**
 * Whether the service is shutting down. Once draining, readiness answers 503 so that a load
 * balancer stops sending traffic, while the requests already accepted are still answered.
 */
export class Lifecycle {
  private isDraining = false;

  get draining(): boolean {
    return this.isDraining;
  }

  startDraining(): void {
    this.isDraining = true;
  }
}
