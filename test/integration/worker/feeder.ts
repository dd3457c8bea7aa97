import type { Client } from '@elastic/elasticsearch';
import { transformAuditEvent } from '../../../src/audit/transform';
import type { AuditStream } from '../../helpers/auditData';
import { rawAuditEvent } from '../../helpers/auditData';
import { sleep } from './harness';

/**
 * Writes audit events while workers run: every `everyMs`, for each prefix one matching event (auditID
 * `<prefix><n>`) plus one that matches no rule. event.ingested is the moment of writing, so each event falls in
 * the windows of the ticks that follow. Keeps the ground truth: every auditID written per prefix.
 */
export class Feeder {
  readonly written = new Map<string, string[]>();
  lastIngested = 0;
  private running = false;
  private loop: Promise<void> | undefined;
  private n = 0;

  constructor(
    private readonly admin: Client,
    private readonly stream: AuditStream,
    private readonly prefixes: readonly string[],
    private readonly everyMs = 400,
  ) {
    for (const p of prefixes) this.written.set(p, []);
  }

  start(): void {
    this.running = true;
    this.loop = (async () => {
      while (this.running) {
        const ingested = new Date();
        const batch = this.prefixes.map((p) => `${p}${this.n}`);
        const noise = `noise-${this.n}`;
        this.n++;
        // no refresh: the documents become searchable within the index refresh interval (1 s), which the
        // rules' look-back (from now-10s every 5s) absorbs, as on a real cluster
        const operations = [...batch, noise].flatMap((auditID) => {
          const raw = rawAuditEvent({
            auditID,
            requestReceivedTimestamp: ingested.toISOString(),
            stageTimestamp: ingested.toISOString(),
          });
          const result = transformAuditEvent(raw, { ingested, readTime: ingested });
          if (!result.ok) throw new Error(result.reason);
          return [{ create: { _index: this.stream.dataStream } }, result.doc];
        });
        const res = await this.admin.bulk({ operations });
        if (res.errors) throw new Error(`feeder bulk failed: ${JSON.stringify(res.items[0])}`);
        this.prefixes.forEach((p, i) => this.written.get(p)?.push(batch[i] ?? ''));
        this.lastIngested = ingested.getTime();
        await sleep(this.everyMs);
      }
    })();
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.loop;
  }

  expected(prefix: string): string[] {
    return [...(this.written.get(prefix) ?? [])].sort();
  }
}
