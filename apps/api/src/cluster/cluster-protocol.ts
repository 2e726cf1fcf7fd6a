import type { ReloadOutcome } from '../model/model-holder';

/**
 * The messages between the primary and the workers of WORKERS=N (node:cluster IPC). A reload is
 * agreed in two phases: the primary resolves models/current to one bundle directory and asks every
 * worker to prepare it (load, verify, check, probe); only when all have, it asks them to commit
 * (swap in), otherwise to abort. So a bundle refused by one worker is refused by all, and no two
 * workers serve different versions after a reload.
 */
export type ToWorker =
  | { type: 'purchase:prepare'; id: number; dir: string }
  | { type: 'purchase:commit'; id: number }
  | { type: 'purchase:abort'; id: number }
  | { type: 'purchase:reload-result'; id: number; outcome: ReloadOutcome }
  | { type: 'purchase:reload-result'; id: number; refused: { dir: string; reason: string } }
  | { type: 'purchase:metrics-result'; id: number; contentType: string; body: string }
  | { type: 'purchase:metrics-result'; id: number; error: string };

export type ToPrimary =
  | { type: 'purchase:prepared'; id: number; version: string }
  | { type: 'purchase:prepared'; id: number; refused: string }
  | { type: 'purchase:committed'; id: number; outcome: ReloadOutcome }
  | { type: 'purchase:reload-request'; id: number }
  | { type: 'purchase:metrics-request'; id: number };

/** The environment variable that gives a worker the bundle directory the service is on. */
export const WORKER_BUNDLE_ENV = 'PURCHASE_WORKER_BUNDLE';

export function isMessage<T extends { type: string }>(value: unknown, type: T['type']): value is T {
  return typeof value === 'object' && value !== null && (value as { type?: unknown }).type === type;
}
