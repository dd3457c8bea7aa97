import type { Client } from '@elastic/elasticsearch';
import { getVersioned, putVersioned } from './stateIndices';

interface CheckpointDoc {
  rule_id: string;
  space: string;
  covered_to: string;
  updated_at: string;
  worker_id: string;
}

/**
 * Per rule, the end of the last window it covered, in Elasticsearch (one document per space and rule). It is
 * written only after a run's alerts are written, and it only moves forward: a slower replica that finishes
 * an older run later never moves it back.
 */
export class CheckpointStore {
  constructor(
    private readonly client: Client,
    private readonly index: string,
    private readonly space: string,
    private readonly workerId: string,
    private readonly now: () => Date,
  ) {}

  private id(ruleId: string): string {
    return `${this.space}:${ruleId}`;
  }

  async get(ruleId: string): Promise<Date | undefined> {
    const found = await getVersioned<CheckpointDoc>(
      this.client,
      this.index,
      this.id(ruleId),
      'read checkpoint',
    );
    return found === undefined ? undefined : new Date(found.doc.covered_to);
  }

  /** Moves the checkpoint to `coveredTo` unless it is already there or later. */
  async advance(ruleId: string, coveredTo: Date): Promise<void> {
    // a conflict means another writer moved it meanwhile: read again and compare (bounded, not a retry of
    // failed requests; those are the client's)
    for (let attempt = 0; attempt < 5; attempt++) {
      const current = await getVersioned<CheckpointDoc>(
        this.client,
        this.index,
        this.id(ruleId),
        'read checkpoint',
      );
      if (current !== undefined && Date.parse(current.doc.covered_to) >= coveredTo.getTime()) return;
      const doc: CheckpointDoc = {
        rule_id: ruleId,
        space: this.space,
        covered_to: coveredTo.toISOString(),
        updated_at: this.now().toISOString(),
        worker_id: this.workerId,
      };
      const written = await putVersioned(
        this.client,
        this.index,
        this.id(ruleId),
        { ...doc },
        current,
        'write checkpoint',
      );
      if (written !== undefined) return;
    }
  }
}
