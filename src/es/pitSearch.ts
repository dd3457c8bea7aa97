import type { Client, estypes } from '@elastic/elasticsearch';
import { toEsError } from './errors';
import { KdwError, type ErrorContext } from '../errors';

export interface PitSearchOptions {
  readonly index: readonly string[];
  readonly query: estypes.QueryDslQueryContainer;
  /** the sort of the hits; `_shard_doc` is appended as the tiebreaker */
  readonly sort: readonly estypes.SortCombinations[];
  readonly fields?: readonly estypes.QueryDslFieldAndFormat[];
  readonly pageSize: number;
  readonly keepAlive?: string;
  readonly context?: ErrorContext;
}

export interface HitPage {
  readonly hits: readonly estypes.SearchHit<Record<string, unknown>>[];
  /** total matches, known from the first page on */
  readonly total: number;
  readonly tookMs: number;
}

/** Shard failures make the answer incomplete: kdw fails the run with their reasons rather than miss hits. */
export class ShardFailureError extends KdwError {
  constructor(reasons: readonly string[], context: ErrorContext) {
    super('shard_failure', `search failed on ${reasons.length} shard(s): ${reasons.join('; ')}`, context, {
      retryable: true,
    });
  }
}

/**
 * Pages through every hit of a query with a point in time and search_after on (sort…, _shard_doc), so hits
 * whose timestamps tie across a page boundary are never dropped (Kibana pages on the timestamp alone and
 * drops them). The PIT is closed in every case, also when the consumer stops early or an error is thrown.
 */
export async function* pitSearch(client: Client, options: PitSearchOptions): AsyncGenerator<HitPage> {
  const context = { index: options.index.join(','), ...options.context };
  const keepAlive = options.keepAlive ?? '2m';
  let pitId: string;
  try {
    const pit = await client.openPointInTime({
      index: [...options.index],
      keep_alive: keepAlive,
      ignore_unavailable: true,
      allow_partial_search_results: false,
    });
    pitId = pit.id;
  } catch (err) {
    throw toEsError(err, 'open point in time', context);
  }
  try {
    let searchAfter: estypes.SortResults | undefined;
    let total = 0;
    for (;;) {
      let res: estypes.SearchResponse<Record<string, unknown>>;
      try {
        res = await client.search<Record<string, unknown>>({
          pit: { id: pitId, keep_alive: keepAlive },
          size: options.pageSize,
          query: options.query,
          sort: [...options.sort, { _shard_doc: 'asc' }],
          ...(options.fields === undefined ? {} : { fields: [...options.fields] }),
          track_total_hits: searchAfter === undefined,
          ...(searchAfter === undefined ? {} : { search_after: searchAfter }),
        });
      } catch (err) {
        throw toEsError(err, 'search', context);
      }
      const failures = res._shards.failures ?? [];
      if (failures.length > 0) {
        throw new ShardFailureError(
          failures.map((f) => `${f.index ?? '?'}[${f.shard}]: ${f.reason.type}: ${f.reason.reason ?? ''}`),
          context,
        );
      }
      pitId = res.pit_id ?? pitId;
      if (searchAfter === undefined) {
        const t = res.hits.total;
        total = typeof t === 'number' ? t : (t?.value ?? 0);
      }
      const hits = res.hits.hits;
      if (hits.length > 0) yield { hits, total, tookMs: res.took };
      if (hits.length < options.pageSize) return;
      searchAfter = hits[hits.length - 1]?.sort;
      if (searchAfter === undefined) return;
    }
  } finally {
    await client.closePointInTime({ id: pitId }).catch(() => undefined);
  }
}
