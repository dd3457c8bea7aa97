import type { estypes } from '@elastic/elasticsearch';
import { timeRangeFilter, type TimestampFields } from '../timeRange';
import { aggSearch, compositeOf, isTooManyClauses, metricValue, topHit } from './esSearch';
import { termKey } from './ids';
import type { SourceHit } from '../../alerts/build';
import type { NewTerm, TermsPage, TermsSearchInput } from './types';

export interface AggregateInput extends TermsSearchInput {
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

/**
 * The buckets of `combos` among the documents of `query`. One field: a terms aggregation whose `include`
 * lists exactly the wanted values, so one request returns them all (documents with array values also carry
 * other values, which a size-limited composite would let crowd out wanted ones). 2–3 fields: a composite,
 * paged with after_key to the end. Buckets come back in the composite shape ({key: {f0, f1…}}).
 */
async function bucketsOf(
  input: AggregateInput,
  query: estypes.QueryDslQueryContainer,
  combos: readonly (readonly unknown[])[],
  subAggs: Record<string, estypes.AggregationsAggregationContainer>,
  operation: string,
): Promise<{ buckets: Record<string, unknown>[]; took: number }> {
  const withSubs = (
    agg: estypes.AggregationsAggregationContainer,
  ): estypes.AggregationsAggregationContainer =>
    Object.keys(subAggs).length === 0 ? agg : { ...agg, aggs: subAggs };
  const [field] = input.fields;
  if (input.fields.length === 1 && field !== undefined) {
    const include = combos.map((c) => String(c[0]));
    const res = await aggSearch(
      input.client,
      input.indices,
      query,
      { terms: withSubs({ terms: { field, size: Math.max(include.length, 1), include } }) },
      operation,
      input.rule,
    );
    const { buckets } = compositeOf(res.aggregations, 'terms');
    return { buckets: buckets.map((b) => ({ ...b, key: { f0: b['key'] } })), took: res.took };
  }
  const out: Record<string, unknown>[] = [];
  let took = 0;
  let after: Record<string, unknown> | undefined;
  const size = Math.max(combos.length, 1);
  for (;;) {
    const composite: estypes.AggregationsCompositeAggregation = { size, sources: sources(input.fields) };
    if (after !== undefined) composite.after = after as estypes.AggregationsCompositeAggregateKey;
    const res = await aggSearch(
      input.client,
      input.indices,
      query,
      { terms: withSubs({ composite }) },
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
 * new_terms through aggregations (DESIGN.md §5), without scripting. Per composite page of candidate terms of
 * the window (with each one's earliest time in the window, from min(override) and min(@timestamp) of
 * documents without it): one request finds which of them occur in [history_window_start, from]; the others
 * are new, first seen at their earliest time in the window. That is Kibana's rule (first seen over
 * [history_window_start, to] later than `from`) with a cheaper existence check than min aggregations over
 * the whole history. Source documents are not fetched here: see earliestDocuments, called only for the new
 * terms that become alerts.
 */
export async function* aggregateNewTerms(input: AggregateInput): AsyncGenerator<TermsPage> {
  const windowFilter = timeRangeFilter(input.timestamps, input.window);
  const historyFilter = timeRangeFilter(input.timestamps, {
    from: input.historyStart,
    to: input.window.from,
  });
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
      { terms: { composite, aggs: firstSeenAggs(input.timestamps) } },
      'new_terms candidates',
      input.rule,
    );
    let took = page.took;
    const { buckets, afterKey } = compositeOf(page.aggregations, 'terms');
    const candidates = buckets.flatMap((b) => {
      const firstSeenMs = firstSeenOf(b);
      return firstSeenMs === undefined ? [] : [{ values: keyValues(b, n), firstSeenMs }];
    });
    const seenBefore = new Set<string>();
    await inChunks(candidates, n === 1 ? input.pageSize : input.chunkSize, async (chunk) => {
      const res = await bucketsOf(
        input,
        {
          bool: {
            filter: [
              input.query,
              historyFilter,
              combinationsFilter(
                input.fields,
                chunk.map((c) => c.values),
              ),
            ],
          },
        },
        chunk.map((c) => c.values),
        {},
        'new_terms history',
      );
      took += res.took;
      for (const b of res.buckets) seenBefore.add(termKey(keyValues(b, n)));
    });
    const newTerms: NewTerm[] = candidates.filter((c) => !seenBefore.has(termKey(c.values)));
    newTerms.sort(
      (a, b) => a.firstSeenMs - b.firstSeenMs || termKey(a.values).localeCompare(termKey(b.values)),
    );
    yield { candidates: buckets.length, newTerms, tookMs: took };
    if (buckets.length < input.pageSize || afterKey === undefined) return;
    after = afterKey;
  }
}

/** The earliest document of the window for each term (two top_hits per term; the earlier wins). */
export async function earliestDocuments(
  input: AggregateInput,
  terms: readonly NewTerm[],
): Promise<{ hits: Map<string, SourceHit>; tookMs: number }> {
  const windowFilter = timeRangeFilter(input.timestamps, input.window);
  const n = input.fields.length;
  const hits = new Map<string, SourceHit>();
  let tookMs = 0;
  await inChunks(terms, n === 1 ? input.pageSize : input.chunkSize, async (chunk) => {
    const wanted = new Set(chunk.map((t) => termKey(t.values)));
    const res = await bucketsOf(
      input,
      {
        bool: {
          filter: [
            input.query,
            windowFilter,
            combinationsFilter(
              input.fields,
              chunk.map((t) => t.values),
            ),
          ],
        },
      },
      chunk.map((t) => t.values),
      earliestAggs(input.timestamps),
      'new_terms source documents',
    );
    tookMs += res.took;
    for (const b of res.buckets) {
      const key = termKey(keyValues(b, n));
      if (!wanted.has(key)) continue;
      const tops = [topHit(b, 'with_primary', 'top'), topHit(b, 'without_primary', 'top')].filter(
        (t) => t !== undefined,
      );
      const earliest = tops.sort((x, y) => x.sortMs - y.sortMs)[0];
      if (earliest !== undefined) {
        hits.set(key, {
          _index: earliest.hit._index,
          _id: earliest.hit._id ?? '',
          _source: earliest.hit._source ?? {},
        });
      }
    }
  });
  return { hits, tookMs };
}
