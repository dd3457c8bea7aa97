import type { Client } from '@elastic/elasticsearch';
import { toEsError } from '../es/errors';
import { getVersioned, putVersioned } from './stateIndices';

interface LeaseDoc {
  rule_id: string;
  space: string;
  owner: string;
  expires_at: string;
  renewed_at: string;
}

interface Held {
  expiresAt: number;
  seqNo: number;
  primaryTerm: number;
}

/**
 * Which replica owns which rule: one document per rule with its owner and expiry, taken and renewed with
 * optimistic concurrency (if_seq_no/if_primary_term), taken over once expired. Only the owner runs a rule.
 * A lease held with more than half its time left is not written again (one request saved per tick).
 */
export class LeaseStore {
  private readonly held = new Map<string, Held>();

  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly space: string,
    readonly owner: string,
    private readonly now: () => number,
  ) {}

  private id(ruleId: string): string {
    return `${this.space}:${ruleId}`;
  }

  get ownedCount(): number {
    const now = this.now();
    return [...this.held.values()].filter((h) => h.expiresAt > now).length;
  }

  /** True when this replica holds the rule's lease for at least `ttlMs` from now (taking or renewing it). */
  async acquire(ruleId: string, ttlMs: number): Promise<boolean> {
    const now = this.now();
    const mine = this.held.get(ruleId);
    if (mine !== undefined && mine.expiresAt - now > ttlMs / 2) return true;
    const current = await getVersioned<LeaseDoc>(this.client, this.index, this.id(ruleId), 'read lease');
    if (
      current !== undefined &&
      current.doc.owner !== this.owner &&
      Date.parse(current.doc.expires_at) > now
    ) {
      this.held.delete(ruleId);
      return false;
    }
    const expiresAt = now + ttlMs;
    const doc: LeaseDoc = {
      rule_id: ruleId,
      space: this.space,
      owner: this.owner,
      expires_at: new Date(expiresAt).toISOString(),
      renewed_at: new Date(now).toISOString(),
    };
    const written = await putVersioned(
      this.client,
      this.index,
      this.id(ruleId),
      { ...doc },
      current,
      'take lease',
    );
    if (written === undefined) {
      this.held.delete(ruleId);
      return false;
    }
    this.held.set(ruleId, { expiresAt, ...written });
    return true;
  }

  /** Gives up the leases this replica holds (graceful shutdown), so another replica takes over at once. */
  async releaseAll(): Promise<void> {
    const entries = [...this.held.entries()];
    this.held.clear();
    await Promise.allSettled(
      entries.map(async ([ruleId, h]) => {
        try {
          await this.client.delete(
            { index: this.index, id: this.id(ruleId), if_seq_no: h.seqNo, if_primary_term: h.primaryTerm },
            { ignore: [404, 409] },
          );
        } catch (err) {
          throw toEsError(err, 'release lease', { index: this.index, rule: ruleId });
        }
      }),
    );
  }

  /** Forgets a rule (deleted file); its lease expires by itself. */
  forget(ruleId: string): void {
    this.held.delete(ruleId);
  }
}
