import type { DocSink, PendingDoc, SinkResult } from './bulkSink';

/**
 * `kdw replay --dry-run`: reads, checks and transforms everything and serializes each document as a bulk
 * request would, but sends nothing. For checking a file, and for measuring kdw's own cost without the
 * cluster's.
 */
export function createDryRunSink(): DocSink {
  let docs = 0;
  let bytes = 0;
  return {
    failed: false,
    add: async (batch: readonly PendingDoc[]) => {
      for (const p of batch) bytes += JSON.stringify(p.doc).length;
      docs += batch.length;
    },
    close: async (): Promise<SinkResult> => ({
      indexed: docs,
      unindexedCount: 0,
      unindexed: [],
      retries: 0,
      requests: 0,
      serializedBytes: bytes,
    }),
  };
}
