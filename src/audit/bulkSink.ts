import type { Client } from '@elastic/elasticsearch';
import { toEsError } from '../es/errors';
import type { KdwError } from '../errors';
import type { JsonObject } from './transform';

/** Where a document came from in the input: its line, and its index in an EventList on that line. */
export interface DocRef {
  readonly line: number;
  readonly item?: number;
}

export interface PendingDoc {
  readonly doc: JsonObject;
  readonly ref: DocRef;
}

export interface Unindexed extends DocRef {
  readonly status: number;
  readonly reason: string;
}

export interface SinkResult {
  readonly indexed: number;
  /** documents Elasticsearch refused for good (after retries of transient item errors), all counted */
  readonly unindexedCount: number;
  /** the first of them, with line numbers (capped) */
  readonly unindexed: readonly Unindexed[];
  /** item retries after 429/5xx */
  readonly retries: number;
  readonly requests: number;
  /** --dry-run: the size of the documents that would have been sent */
  readonly serializedBytes?: number;
  /** a request-level failure (cluster unreachable, rejected request): the replay stops */
  readonly fatal?: KdwError;
}

/** What the replay loop writes to: Elasticsearch in production, an array in unit tests. */
export interface DocSink {
  /** resolves once the batch is accepted for sending; waits while too many are in flight (backpressure) */
  add(batch: readonly PendingDoc[]): Promise<void>;
  /** waits for everything in flight */
  close(): Promise<SinkResult>;
  /** true after a request-level failure: stop reading */
  readonly failed: boolean;
}

export interface BulkSinkOptions {
  readonly index: string;
  /** bulk requests in flight at once (default 2) */
  readonly concurrency?: number;
  /** attempts per document for transient item errors 429/5xx (default 4) */
  readonly attempts?: number;
  /** set event.ingested to the send time (the integration's ingest time); false keeps the doc's value */
  readonly stampIngested?: boolean;
  readonly maxListed?: number;
  readonly clock?: () => Date;
  readonly sleep?: (ms: number) => Promise<void>;
}

const TRANSIENT = new Set([429, 500, 502, 503, 504]);
const CREATE = { create: {} } as const;

/**
 * Bulk `create` into one index or data stream, with bounded concurrency. Every item of every response is
 * checked: transient failures are sent again (with backoff), the others are counted and listed with the
 * line they came from. The client itself retries connection errors; there is no second loop for those.
 */
export function createBulkSink(client: Client, options: BulkSinkOptions): DocSink {
  const concurrency = options.concurrency ?? 2;
  const attempts = options.attempts ?? 4;
  const maxListed = options.maxListed ?? 100;
  const clock = options.clock ?? (() => new Date());
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const stamp = options.stampIngested ?? true;
  const inFlight = new Set<Promise<void>>();
  let indexed = 0;
  let unindexedCount = 0;
  const unindexed: Unindexed[] = [];
  let retries = 0;
  let requests = 0;
  let fatal: KdwError | undefined;

  const refuse = (ref: DocRef, status: number, reason: string): void => {
    unindexedCount++;
    if (unindexed.length < maxListed) unindexed.push({ ...ref, status, reason });
  };

  const send = async (batch: readonly PendingDoc[]): Promise<void> => {
    let pending = batch;
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(250 * 2 ** (attempt - 2));
      if (stamp) {
        const now = clock().toISOString();
        for (const p of pending) {
          const event = p.doc['event'];
          if (typeof event === 'object' && event !== null) (event as JsonObject)['ingested'] = now;
        }
      }
      requests++;
      let res;
      try {
        res = await client.bulk({
          index: options.index,
          operations: pending.flatMap((p) => [CREATE, p.doc]),
          // the items' status and error are all kdw reads: a response 8 times smaller to parse
          filter_path: 'took,errors,items.*.status,items.*.error',
        });
      } catch (err) {
        fatal ??= toEsError(err, 'bulk index audit events', { index: options.index });
        for (const p of pending) refuse(p.ref, 0, fatal.message);
        return;
      }
      const retry: PendingDoc[] = [];
      // with filter_path, a response without items would drop the key: never trust it to be there
      const items = (res.items as typeof res.items | undefined) ?? [];
      items.forEach((item, i) => {
        const r = item.create;
        const p = pending[i];
        if (r === undefined || p === undefined) return;
        if (r.status >= 200 && r.status < 300) indexed++;
        else if (TRANSIENT.has(r.status) && attempt < attempts) retry.push(p);
        else refuse(p.ref, r.status, `${r.error?.type ?? 'error'}: ${r.error?.reason ?? ''}`);
      });
      // a response with fewer items than documents would lose some silently: count them as refused
      for (const p of pending.slice(items.length)) refuse(p.ref, 0, 'no item in the bulk response');
      retries += retry.length;
      pending = retry;
    }
  };

  return {
    get failed() {
      return fatal !== undefined;
    },
    async add(batch) {
      if (batch.length === 0) return;
      while (inFlight.size >= concurrency) await Promise.race(inFlight);
      const task = send(batch).finally(() => inFlight.delete(task));
      inFlight.add(task);
    },
    async close() {
      await Promise.all(inFlight);
      return {
        indexed,
        unindexedCount,
        unindexed,
        retries,
        requests,
        ...(fatal === undefined ? {} : { fatal }),
      };
    },
  };
}
