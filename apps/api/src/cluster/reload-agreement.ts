import type { ReloadOutcome } from '../model/model-holder';

/** One serving process in a reload agreement (a worker, seen from the primary). */
export interface Participant {
  readonly id: number;
  /** Loads and checks the bundle at `dir`: resolves with its version, or rejects with the reason it is refused. */
  prepare(dir: string): Promise<string>;
  /** Swaps the prepared bundle in. */
  commit(): Promise<ReloadOutcome>;
  /** Drops the prepared bundle (a no-op for a participant that refused it). */
  abort(): void;
}

export type Agreement = { outcome: ReloadOutcome; committed: number } | { refused: string };

/**
 * A two-phase reload: every participant prepares the same bundle directory; only when all have,
 * all commit; when any refuses (or fails, or is gone), all abort and the reason of the first
 * refusal, by participant order, is the answer. So no participant serves a bundle another refused.
 */
export async function agreeOnReload(participants: readonly Participant[], dir: string): Promise<Agreement> {
  if (participants.length === 0) return { refused: 'no worker is running' };
  const prepared = await Promise.allSettled(participants.map((p) => p.prepare(dir)));
  const refusal = prepared.findIndex((r) => r.status === 'rejected');
  if (refusal >= 0) {
    for (const p of participants) p.abort();
    const reason = (prepared[refusal] as PromiseRejectedResult).reason;
    return { refused: participants.length > 1 ? `worker ${participants[refusal].id}: ${messageOf(reason)}` : messageOf(reason) };
  }
  const committed = await Promise.allSettled(participants.map((p) => p.commit()));
  const first = committed.find((c): c is PromiseFulfilledResult<ReloadOutcome> => c.status === 'fulfilled');
  if (!first) return { refused: `no worker committed the bundle: ${messageOf((committed[0] as PromiseRejectedResult).reason)}` };
  return { outcome: first.value, committed: committed.filter((c) => c.status === 'fulfilled').length };
}

function messageOf(reason: unknown): string {
  return reason instanceof Error ? reason.message : String(reason);
}
