import type { Client, estypes } from '@elastic/elasticsearch';
import { timeRangeFilter, type TimestampFields, type TimeWindow } from '../timeRange';
import { aggSearch, compositeOf, isTooManyClauses, metricValue, topHit } from './esSearch';
import { termKey } from './ids';
import type { NewTerm, TermsPage } from './types';

export interface AggregateInput {
  readonly client: Client;
  readonly rule: string;
  readonly indices: readonly string[];
  readonly query: estypes.QueryDslQueryContainer;
  readonly timestamps: TimestampFields;
  readonly window: TimeWindow;
  readonly historyStart: Date;
  /** the aggregatable names of the new_terms fields (a keyword sub-field where the field is text) */
  readonly fields: readonly string[];
  /** candidate terms per composite page (Kibana: 10,000) */
  readonly pageSize: number;
  /** combinations checked per request for 2–3 fields (Kibana: 500, halved on too-many-clauses) */
  readonly chunkSize: number;
}

const sources = (
  fields: readonly string[],
): Record<string, estypes.AggregationsCompositeAggregationSource>[] =>
  fields.map((field, i) => ({ [`f${i}`]: { terms: { field } } }));

const keyValues = (bucket: Record<string, unknown>, n: number): unknown[] => {
  const key = bucket['key'] as Record<string, unknown> | undefined;
  return Array.from({ length: n }, (_, i) => key?.[`f${i}`]);
};

/** Documents having one of these combinations (one terms query for one field; should of filters for 2–3). */
function combinationsFilter(
  fields: readonly string[],
  combos: readonly (readonly unknown[])[],
): estypes.QueryDslQueryContainer {
  if (fields.length === 1) {
    const field = fields[0] ?? '';
    return { terms: { [field]: combos.map((c) => c[0] as estypes.FieldValue) } };
  }
  return {
    bool: {
      minimum_should_match: 1,
      should: combos.map((c) => ({
        bool: { filter: fields.map((f, i) => ({ term: { [f]: c[i] as estypes.FieldValue } })) },
      })),
    },
  };
}

/** Sub-aggregations giving the first-seen time without a runtime field: min(override) and min(@timestamp) of docs without it. */
function firstSeenAggs(ts: TimestampFields): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
    min_primary: { min: { field: ts.primary } },
  };
  if (ts.secondary !== undefined) {
    aggs['fallback'] = {
      filter: { bool: { must_not: { exists: { field: ts.primary } } } },
      aggs: { min_ts: { min: { field: ts.secondary } } },
    };
  }
  return aggs;
}

function firstSeenOf(bucket: Record<string, unknown>): number | undefined {
  const values = [metricValue(bucket, 'min_primary'), metricValue(bucket, 'fallback', 'min_ts')].filter(
    (v): v is number => v !== undefined,
  );
  return values.length === 0 ? undefined : Math.min(...values);
}

/** Two top_hits (documents with the override sorted by it; documents without it by @timestamp); the earlier wins. */
function earliestAggs(ts: TimestampFields): Record<string, estypes.AggregationsAggregationContainer> {
  const top = (field: string): estypes.AggregationsAggregationContainer => ({
    top_hits: { size: 1, sort: [{ [field]: { order: 'asc', unmapped_type: 'date' } }], _source: true },
  });
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
    with_primary: { filter: { exists: { field: ts.primary } }, aggs: { top: top(ts.primary) } },
  };
  if (ts.secondary !== undefined) {
    aggs['without_primary'] = {
      filter: { bool: { must_not: { exists: { field: ts.primary } } } },
      aggs: { top: top(ts.secondary) },
    };
  }
  return aggs;
}

/** Runs `fn` over chunks of `items`, halving the chunk when Elasticsearch says the query has too many clauses. */
async function inChunks<T>(
  items: readonly T[],
  size: number,
  fn: (chunk: readonly T[]) => Promise<void>,
): Promise<void> {
  let chunkSize = size;
  for (let i = 0; i < items.length;) {
    const chunk = items.slice(i, i + chunkSize);
    try {
      await fn(chunk);
      i += chunk.length;
    } catch (err) {
      if (!isTooManyClauses(err) || chunkSize <= 1) throw err;
      chunkSize = Math.max(1, Math.floor(chunkSize / 2));
    }
  }
}

/** All composite buckets of one request, paging with after_key. */
async function allBuckets(
  input: AggregateInput,
  query: estypes.QueryDslQueryContainer,
  subAggs: Record<string, estypes.AggregationsAggregationContainer>,
  size: number,
  operation: string,
): Promise<{ buckets: Record<string, unknown>[]; took: number }> {
  const out: Record<string, unknown>[] = [];
  let took = 0;
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const composite: estypes.AggregationsCompositeAggregation = { size, sources: sources(input.fields) };
    if (after !== undefined) composite.after = after as estypes.AggregationsCompositeAggregateKey;
    const res = await aggSearch(
      input.client,
      input.indices,
      query,
      { terms: { composite, aggs: subAggs } },
      operation,
      input.rule,
    );
    took += res.took;
    const { buckets, afterKey } = compositeOf(res.aggregations, 'terms');
    out.push(...buckets);
    if (buckets.length < size || afterKey === undefined) return { buckets: out, took };
    after = afterKey;
  }
}

/**
 * new_terms through aggregations (DESIGN.md §5), without scripting: per page of candidate terms of the
 * window, their first-seen time over [history_window_start, to]; those first seen after `from` are new,
 * and the earliest document of the window becomes each one's source.
 */
export async function* aggregateNewTerms(input: AggregateInput): AsyncGenerator<TermsPage> {
  const windowFilter = timeRangeFilter(input.timestamps, input.window);
  const historyFilter = timeRangeFilter(input.timestamps, { from: input.historyStart, to: input.window.to });
  const fromMs = input.window.from.getTime();
  const n = input.fields.length;
  let after: Record<string, unknown> | undefined;
  for (;;) {
    const composite: estypes.AggregationsCompositeAggregation = {
      size: input.pageSize,
      sources: sources(input.fields),
    };
    if (after !== undefined) composite.after = after as estypes.AggregationsCompositeAggregateKey;
    const page = await aggSearch(
      input.client,
      input.indices,
      { bool: { filter: [input.query, windowFilter] } },
      { terms: { composite } },
      'new_terms candidates',
      input.rule,
    );
    let took = page.took;
    const { buckets, afterKey } = compositeOf(page.aggregations, 'terms');
    const candidates = buckets.map((b) => keyValues(b, n));
    const firstSeen = new Map<string, number>();
    await inChunks(candidates, n === 1 ? input.pageSize : input.chunkSize, async (chunk) => {
      const wanted = new Set(chunk.map(termKey));
      const res = await allBuckets(
        input,
        { bool: { filter: [input.query, historyFilter, combinationsFilter(input.fields, chunk)] } },
        firstSeenAggs(input.timestamps),
        Math.max(chunk.length, 1),
        'new_terms history',
      );
      took += res.took;
      for (const b of res.buckets) {
        const key = termKey(keyValues(b, n));
        const seen = firstSeenOf(b);
        if (wanted.has(key) && seen !== undefined) firstSeen.set(key, seen);
      }
    });
    const fresh = candidates.filter((c) => (firstSeen.get(termKey(c)) ?? Number.NEGATIVE_INFINITY) > fromMs);
    const newTerms: NewTerm[] = [];
    await inChunks(fresh, n === 1 ? input.pageSize : input.chunkSize, async (chunk) => {
      const wanted = new Set(chunk.map(termKey));
      const res = await allBuckets(
        input,
        { bool: { filter: [input.query, windowFilter, combinationsFilter(input.fields, chunk)] } },
        earliestAggs(input.timestamps),
        Math.max(chunk.length, 1),
        'new_terms source documents',
      );
      took += res.took;
      for (const b of res.buckets) {
        const values = keyValues(b, n);
        const key = termKey(values);
        if (!wanted.has(key)) continue;
        const tops = [topHit(b, 'with_primary', 'top'), topHit(b, 'without_primary', 'top')].filter(
          (t) => t !== undefined,
        );
        const earliest = tops.sort((a, b2) => a.sortMs - b2.sortMs)[0];
        const seen = firstSeen.get(key);
        if (earliest === undefined || seen === undefined) continue;
        newTerms.push({
          values,
          firstSeenMs: seen,
          hit: {
            _index: earliest.hit._index,
            _id: earliest.hit._id ?? '',
            _source: earliest.hit._source ?? {},
          },
        });
      }
    });
    newTerms.sort(
      (a, b) => a.firstSeenMs - b.firstSeenMs || termKey(a.values).localeCompare(termKey(b.values)),
    );
    yield { candidates: candidates.length, newTerms, tookMs: took };
    if (buckets.length < input.pageSize || afterKey === undefined) return;
    after = afterKey;
  }
}
