import type { Client, estypes } from '@elastic/elasticsearch';
import { toEsError } from '../../es/errors';
import { ShardFailureError } from '../../es/pitSearch';

/** One aggregation search (size 0) over indices; shard failures fail it, as a partial answer would mislead. */
export async function aggSearch(
  client: Client,
  index: readonly string[],
  query: estypes.QueryDslQueryContainer,
  aggs: Record<string, estypes.AggregationsAggregationContainer>,
  operation: string,
  rule: string,
): Promise<{ aggregations: Record<string, unknown>; took: number }> {
  let res: estypes.SearchResponse<unknown>;
  try {
    res = await client.search({
      index: [...index],
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 0,
      track_total_hits: false,
      query,
      aggs,
    });
  } catch (err) {
    throw toEsError(err, operation, { rule, index: index.join(',') });
  }
  const failures = res._shards.failures ?? [];
  if (failures.length > 0) {
    throw new ShardFailureError(
      failures.map((f) => `${f.index ?? '?'}[${f.shard}]: ${f.reason.type}: ${f.reason.reason ?? ''}`),
      { rule, operation },
    );
  }
  return { aggregations: (res.aggregations ?? {}) as Record<string, unknown>, took: res.took };
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The buckets and after_key of a composite aggregation in a response. */
export function compositeOf(
  aggregations: Record<string, unknown>,
  name: string,
): { buckets: Record<string, unknown>[]; afterKey: Record<string, unknown> | undefined } {
  const agg = aggregations[name];
  if (!isRecord(agg)) return { buckets: [], afterKey: undefined };
  const buckets = Array.isArray(agg['buckets']) ? agg['buckets'].filter(isRecord) : [];
  const afterKey = isRecord(agg['after_key']) ? agg['after_key'] : undefined;
  return { buckets, afterKey };
}

/** The value of a `min` (or other single-value metric) sub-aggregation at a path of names, or undefined. */
export function metricValue(bucket: Record<string, unknown>, ...path: string[]): number | undefined {
  let node: unknown = bucket;
  for (const name of path) node = isRecord(node) ? node[name] : undefined;
  const value = isRecord(node) ? node['value'] : undefined;
  return typeof value === 'number' ? value : undefined;
}

/** The single hit of a top_hits sub-aggregation at a path, with its first sort value. */
export function topHit(
  bucket: Record<string, unknown>,
  ...path: string[]
): { hit: estypes.SearchHit<Record<string, unknown>>; sortMs: number } | undefined {
  let node: unknown = bucket;
  for (const name of path) node = isRecord(node) ? node[name] : undefined;
  const hits = isRecord(node) && isRecord(node['hits']) ? node['hits']['hits'] : undefined;
  const first: unknown = Array.isArray(hits) ? hits[0] : undefined;
  if (!isRecord(first)) return undefined;
  const sort = first['sort'];
  const sortMs = Array.isArray(sort) && typeof sort[0] === 'number' ? sort[0] : Number.NaN;
  return { hit: first as unknown as estypes.SearchHit<Record<string, unknown>>, sortMs };
}

/** Elasticsearch refused a query for having too many clauses: the caller halves its chunk. */
export function isTooManyClauses(err: unknown): boolean {
  const text = err instanceof Error ? err.message : String(err);
  return /too_many_clauses|too_many_nested_clauses|maxClauseCount|failed to create query/i.test(text);
}
