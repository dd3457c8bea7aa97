/**
 * The phases of new_terms (one field) measured one by one, and the alternatives the benchmark compares with
 * the executor's aggregation approach (src/ruleTypes/newTerms/aggregate.ts). Every strategy returns the new
 * terms with their first-seen time and the earliest document of the window, so the benchmark can assert that
 * each gives exactly the executor's answer.
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { performance } from 'node:perf_hooks';
import { aggregateNewTerms, earliestDocuments } from '../../src/ruleTypes/newTerms/aggregate';
import type { NewTerm } from '../../src/ruleTypes/newTerms/types';
import { aggSearch, compositeOf, isRecord, metricValue, topHit } from '../../src/ruleTypes/newTerms/esSearch';
import { timeRangeFilter, type TimestampFields, type TimeWindow } from '../../src/ruleTypes/timeRange';

export interface PhaseInput {
  readonly client: Client;
  readonly indices: readonly string[];
  readonly query: estypes.QueryDslQueryContainer;
  readonly timestamps: TimestampFields;
  readonly window: TimeWindow;
  readonly historyStart: Date;
  /** the aggregatable new_terms field (one field) */
  readonly field: string;
  readonly pageSize: number;
  /** the rule's max_signals: the first ones of the executor's emission order become alerts */
  readonly maxSignals: number;
}

export interface Found {
  readonly firstSeenMs: number;
  /** combined timestamp of the chosen source document (must equal firstSeenMs); NaN when not fetched */
  readonly sourceMs: number;
  readonly id: string;
}

export interface PhaseTime {
  wallMs: number;
  tookMs: number;
  requests: number;
}

export interface StrategyResult {
  readonly name: string;
  readonly candidates: number;
  readonly newTerms: Map<string, Found>;
  /** the new terms that become alerts: the executor's order (page by page, first seen then key), max_signals */
  readonly alerted: readonly string[];
  readonly wallMs: number;
  readonly tookMs: number;
  readonly requests: number;
  readonly phases: Record<string, PhaseTime>;
}

class Clock {
  readonly phases: Record<string, PhaseTime> = {};
  async time<R>(phase: string, fn: () => Promise<{ value: R; took: number; requests?: number }>): Promise<R> {
    const t = performance.now();
    const { value, took, requests } = await fn();
    const p = (this.phases[phase] ??= { wallMs: 0, tookMs: 0, requests: 0 });
    p.wallMs += performance.now() - t;
    p.tookMs += took;
    p.requests += requests ?? 1;
    return value;
  }
  totals(): { tookMs: number; requests: number } {
    return Object.values(this.phases).reduce(
      (a, p) => ({ tookMs: a.tookMs + p.tookMs, requests: a.requests + p.requests }),
      { tookMs: 0, requests: 0 },
    );
  }
}

const keyOf = (value: unknown): string => JSON.stringify([value]);

/** A page's new terms in the executor's order: first seen, then key. */
function pageOrder(newTerms: ReadonlyMap<string, Found>, keys: readonly string[]): string[] {
  return [...keys].sort(
    (a, b) => (newTerms.get(a)?.firstSeenMs ?? 0) - (newTerms.get(b)?.firstSeenMs ?? 0) || a.localeCompare(b),
  );
}

/** The executor's own code path (aggregateNewTerms), as a whole: the reference answer. */
export async function executorAggregate(input: PhaseInput): Promise<StrategyResult> {
  const t = performance.now();
  const newTerms = new Map<string, Found>();
  let candidates = 0;
  let took = 0;
  const order: string[] = [];
  // count the executor's requests (its code gives only the sum of took)
  let requests = 0;
  const count = (): void => {
    requests++;
  };
  input.client.diagnostic.on('response', count);
  const aggInput = {
    client: input.client,
    rule: 'bench',
    indices: input.indices,
    query: input.query,
    timestamps: input.timestamps,
    window: input.window,
    historyStart: input.historyStart,
    fields: [input.field],
    pageSize: input.pageSize,
    chunkSize: 500,
  };
  const found: NewTerm[] = [];
  for await (const page of aggregateNewTerms(aggInput)) {
    candidates += page.candidates;
    took += page.tookMs;
    for (const n of page.newTerms) {
      order.push(JSON.stringify(n.values));
      found.push(n);
      newTerms.set(JSON.stringify(n.values), { firstSeenMs: n.firstSeenMs, sourceMs: Number.NaN, id: '' });
    }
  }
  // as the executor: source documents only for the terms that become alerts (at most max_signals)
  const alertedTerms = found.slice(0, input.maxSignals);
  if (alertedTerms.length > 0) {
    const docs = await earliestDocuments(aggInput, alertedTerms);
    took += docs.tookMs;
    for (const n of alertedTerms) {
      const key = JSON.stringify(n.values);
      const hit = docs.hits.get(key);
      const entry = newTerms.get(key);
      if (hit !== undefined && entry !== undefined) {
        newTerms.set(key, { ...entry, sourceMs: combinedMs(hit._source, input.timestamps), id: hit._id });
      }
    }
  }
  const wallMs = performance.now() - t;
  input.client.diagnostic.off('response', count);
  return {
    name: 'executor (aggregateNewTerms)',
    candidates,
    newTerms,
    alerted: order.slice(0, input.maxSignals),
    wallMs,
    tookMs: took,
    requests,
    phases: {},
  };
}

function getPath(source: unknown, path: string): unknown {
  let node: unknown = source;
  for (const part of path.split('.')) node = isRecord(node) ? node[part] : undefined;
  return node;
}

function combinedMs(source: unknown, ts: TimestampFields): number {
  for (const field of [ts.primary, ts.secondary]) {
    if (field === undefined) continue;
    const v = getPath(source, field);
    if (typeof v === 'string') return Date.parse(v);
  }
  return Number.NaN;
}

/** Phase A: one composite page of candidate values over the rule window. */
async function candidatesPage(
  input: PhaseInput,
  after: Record<string, unknown> | undefined,
): Promise<{ value: { values: unknown[]; after: Record<string, unknown> | undefined }; took: number }> {
  const composite: estypes.AggregationsCompositeAggregation = {
    size: input.pageSize,
    sources: [{ f0: { terms: { field: input.field } } }],
  };
  if (after !== undefined) composite.after = after as estypes.AggregationsCompositeAggregateKey;
  const res = await aggSearch(
    input.client,
    input.indices,
    { bool: { filter: [input.query, timeRangeFilter(input.timestamps, input.window)] } },
    { terms: { composite } },
    'candidates',
    'bench',
  );
  const { buckets, afterKey } = compositeOf(res.aggregations, 'terms');
  const values = buckets.map((b) => (isRecord(b['key']) ? b['key']['f0'] : undefined));
  const more = buckets.length >= input.pageSize && afterKey !== undefined;
  return { value: { values, after: more ? afterKey : undefined }, took: res.took };
}

const termsFilter = (field: string, values: readonly unknown[]): estypes.QueryDslQueryContainer => ({
  terms: { [field]: values as estypes.FieldValue[] },
});

/**
 * The executor's approach, phase by phase (same requests as aggregate.ts for one field): A candidates
 * composite, B first-seen min aggregations over [history_window_start, to], C top_hits for the new ones.
 */
export async function referencePhases(input: PhaseInput): Promise<StrategyResult> {
  const clock = new Clock();
  const t = performance.now();
  const fromMs = input.window.from.getTime();
  const historyFilter = timeRangeFilter(input.timestamps, { from: input.historyStart, to: input.window.to });
  const windowFilter = timeRangeFilter(input.timestamps, input.window);
  const newTerms = new Map<string, Found>();
  const order: string[] = [];
  let candidates = 0;
  let after: Record<string, unknown> | undefined;
  do {
    const page = await clock.time('A candidates composite', () => candidatesPage(input, after));
    after = page.after;
    candidates += page.values.length;
    if (page.values.length === 0) break;
    const firstSeen = await clock.time('B history min aggs', async () => {
      const subAggs: Record<string, estypes.AggregationsAggregationContainer> = {
        min_primary: { min: { field: input.timestamps.primary } },
      };
      if (input.timestamps.secondary !== undefined)
        subAggs['fallback'] = {
          filter: { bool: { must_not: { exists: { field: input.timestamps.primary } } } },
          aggs: { min_ts: { min: { field: input.timestamps.secondary } } },
        };
      const res = await aggSearch(
        input.client,
        input.indices,
        { bool: { filter: [input.query, historyFilter, termsFilter(input.field, page.values)] } },
        {
          terms: {
            composite: { size: page.values.length, sources: [{ f0: { terms: { field: input.field } } }] },
            aggs: subAggs,
          },
        },
        'history',
        'bench',
      );
      const map = new Map<string, number>();
      for (const b of compositeOf(res.aggregations, 'terms').buckets) {
        const seen = [metricValue(b, 'min_primary'), metricValue(b, 'fallback', 'min_ts')].filter(
          (v): v is number => v !== undefined,
        );
        if (isRecord(b['key']) && seen.length > 0) map.set(keyOf(b['key']['f0']), Math.min(...seen));
      }
      return { value: map, took: res.took };
    });
    const fresh = page.values.filter((v) => (firstSeen.get(keyOf(v)) ?? Number.NEGATIVE_INFINITY) > fromMs);
    if (fresh.length === 0) continue;
    const pageKeys: string[] = [];
    await clock.time('C earliest top_hits', async () => {
      const top = (f: string): estypes.AggregationsAggregationContainer => ({
        top_hits: { size: 1, sort: [{ [f]: { order: 'asc', unmapped_type: 'date' } }], _source: true },
      });
      const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
        with_primary: {
          filter: { exists: { field: input.timestamps.primary } },
          aggs: { top: top(input.timestamps.primary) },
        },
      };
      if (input.timestamps.secondary !== undefined)
        aggs['without_primary'] = {
          filter: { bool: { must_not: { exists: { field: input.timestamps.primary } } } },
          aggs: { top: top(input.timestamps.secondary) },
        };
      const res = await aggSearch(
        input.client,
        input.indices,
        { bool: { filter: [input.query, windowFilter, termsFilter(input.field, fresh)] } },
        {
          terms: {
            composite: { size: fresh.length, sources: [{ f0: { terms: { field: input.field } } }] },
            aggs,
          },
        },
        'earliest',
        'bench',
      );
      for (const b of compositeOf(res.aggregations, 'terms').buckets) {
        const key = isRecord(b['key']) ? keyOf(b['key']['f0']) : '';
        const tops = [topHit(b, 'with_primary', 'top'), topHit(b, 'without_primary', 'top')].filter(
          (x) => x !== undefined,
        );
        const earliest = tops.sort((x, y) => x.sortMs - y.sortMs)[0];
        const seen = firstSeen.get(key);
        if (earliest === undefined || seen === undefined) continue;
        newTerms.set(key, { firstSeenMs: seen, sourceMs: earliest.sortMs, id: earliest.hit._id ?? '' });
        pageKeys.push(key);
      }
      return { value: undefined, took: res.took };
    });
    order.push(...pageOrder(newTerms, pageKeys));
  } while (after !== undefined);
  return {
    name: 'reference phases (executor requests)',
    candidates,
    newTerms,
    alerted: order.slice(0, input.maxSignals),
    wallMs: performance.now() - t,
    ...clock.totals(),
    phases: clock.phases,
  };
}

/** Existence over [history_window_start, from]: which of `values` occur there (a terms aggregation, no metrics). */
function existsSearch(
  input: PhaseInput,
  values: readonly unknown[],
  how: 'query' | 'include',
): estypes.SearchRequest {
  const history = timeRangeFilter(input.timestamps, { from: input.historyStart, to: input.window.from });
  const filter = [input.query, history];
  if (how === 'query') filter.push(termsFilter(input.field, values));
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter } },
    aggs: {
      seen: {
        terms: {
          field: input.field,
          size: Math.max(values.length, 1),
          ...(how === 'include' ? { include: values.map(String) } : {}),
        },
      },
    },
  };
}

/** The earliest window document per value, without top_hits: field collapsing sorted by each timestamp. */
function collapseSearches(input: PhaseInput, values: readonly unknown[]): estypes.SearchRequest[] {
  const windowFilter = timeRangeFilter(input.timestamps, input.window);
  const { primary, secondary } = input.timestamps;
  const one = (has: boolean, sortField: string): estypes.SearchRequest => ({
    size: Math.max(values.length, 1),
    track_total_hits: false,
    query: {
      bool: {
        filter: [
          input.query,
          windowFilter,
          termsFilter(input.field, values),
          has ? { exists: { field: primary } } : { bool: { must_not: { exists: { field: primary } } } },
        ],
      },
    },
    collapse: { field: input.field },
    sort: [{ [sortField]: { order: 'asc', unmapped_type: 'date' } }],
  });
  return secondary === undefined ? [one(true, primary)] : [one(true, primary), one(false, secondary)];
}

interface MsearchOut {
  readonly responses: (estypes.SearchResponse<Record<string, unknown>> | undefined)[];
  readonly took: number;
}

async function msearch(input: PhaseInput, searches: readonly estypes.SearchRequest[]): Promise<MsearchOut> {
  const header = { index: [...input.indices], ignore_unavailable: true, allow_no_indices: true };
  const res = await input.client.msearch<Record<string, unknown>>({
    searches: searches.flatMap((s) => [header, s as estypes.MsearchMultisearchBody]),
  });
  let took = 0;
  const responses = res.responses.map((r) => {
    if ('error' in r) throw new Error(`msearch item failed: ${JSON.stringify(r.error)}`);
    if ((r._shards.failures ?? []).length > 0)
      throw new Error(`shard failure: ${JSON.stringify(r._shards.failures)}`);
    took += r.took;
    return r;
  });
  return { responses, took };
}

function seenKeys(res: estypes.SearchResponse<Record<string, unknown>> | undefined): Set<string> {
  const agg = res?.aggregations?.['seen'];
  const buckets = isRecord(agg) && Array.isArray(agg['buckets']) ? agg['buckets'].filter(isRecord) : [];
  return new Set(buckets.map((b) => keyOf(b['key'])));
}

/** The earliest hit per value across the collapse responses (sort value = the combined timestamp). */
function earliestHits(
  input: PhaseInput,
  responses: readonly (estypes.SearchResponse<Record<string, unknown>> | undefined)[],
): Map<string, { ms: number; id: string }> {
  const out = new Map<string, { ms: number; id: string }>();
  for (const r of responses) {
    for (const h of r?.hits.hits ?? []) {
      const ms = typeof h.sort?.[0] === 'number' ? h.sort[0] : Number.NaN;
      const key = keyOf(h.fields?.[input.field]?.[0] ?? getPath(h._source, input.field));
      const prev = out.get(key);
      if (prev === undefined || ms < prev.ms) out.set(key, { ms, id: h._id ?? '' });
    }
  }
  return out;
}

export type AltName =
  'exists+collapse' | 'one msearch per page' | 'one msearch per page, pipelined' | 'exists via terms include';

/**
 * The alternatives:
 * - `exists+collapse`: A; B' = terms agg over [history_window_start, from] restricted to the page's values by a
 *   terms query (no metrics: a term is new iff it has no document there); C' = collapse searches (with / without
 *   the override) for the new values only, sent as one _msearch. First seen = the earliest window document.
 * - `exists via terms include`: as above, but B' selects the values with `include` instead of a terms query.
 * - `one msearch per page`: A, then B' and C' for all of the page's values in one _msearch (one round trip).
 * - `... pipelined`: the same with the next candidates page requested while the current _msearch runs.
 */
export async function alternative(input: PhaseInput, name: AltName): Promise<StrategyResult> {
  const clock = new Clock();
  const t = performance.now();
  const newTerms = new Map<string, Found>();
  const order: string[] = [];
  let candidates = 0;
  const fromMs = input.window.from.getTime();
  const collect = (
    values: readonly unknown[],
    seen: Set<string>,
    hits: Map<string, { ms: number; id: string }>,
  ): void => {
    const pageKeys: string[] = [];
    for (const v of values) {
      const key = keyOf(v);
      if (seen.has(key)) continue;
      const hit = hits.get(key);
      if (hit === undefined) throw new Error(`no window document for candidate ${key}`);
      if (hit.ms <= fromMs) throw new Error(`candidate ${key} earliest ${hit.ms} not after from`);
      newTerms.set(key, { firstSeenMs: hit.ms, sourceMs: hit.ms, id: hit.id });
      pageKeys.push(key);
    }
    order.push(...pageOrder(newTerms, pageKeys));
  };
  const onePage = async (values: readonly unknown[]): Promise<void> => {
    if (values.length === 0) return;
    if (name === 'exists+collapse' || name === 'exists via terms include') {
      const how = name === 'exists+collapse' ? 'query' : 'include';
      const seen = await clock.time("B' history exists (terms agg)", async () => {
        const r = await msearch(input, [existsSearch(input, values, how)]);
        return { value: seenKeys(r.responses[0]), took: r.took };
      });
      const fresh = values.filter((v) => !seen.has(keyOf(v)));
      if (fresh.length === 0) return;
      const hits = await clock.time("C' earliest via collapse (_msearch)", async () => {
        const r = await msearch(input, collapseSearches(input, fresh));
        return { value: earliestHits(input, r.responses), took: r.took };
      });
      collect(fresh, seen, hits);
      return;
    }
    const out = await clock.time("B'+C' one _msearch", async () => {
      const r = await msearch(input, [
        existsSearch(input, values, 'query'),
        ...collapseSearches(input, values),
      ]);
      return {
        value: { seen: seenKeys(r.responses[0]), hits: earliestHits(input, r.responses.slice(1)) },
        took: r.took,
      };
    });
    collect(values, out.seen, out.hits);
  };
  let page = await clock.time('A candidates composite', () => candidatesPage(input, undefined));
  for (;;) {
    candidates += page.values.length;
    const after = page.after;
    if (name === 'one msearch per page, pipelined' && after !== undefined) {
      const [next] = await Promise.all([
        clock.time('A candidates composite', () => candidatesPage(input, after)),
        onePage(page.values),
      ]);
      page = next;
      continue;
    }
    await onePage(page.values);
    if (after === undefined) break;
    page = await clock.time('A candidates composite', () => candidatesPage(input, after));
  }
  return {
    name,
    candidates,
    newTerms,
    alerted: order.slice(0, input.maxSignals),
    wallMs: performance.now() - t,
    ...clock.totals(),
    phases: clock.phases,
  };
}

/** First-seen sub-aggregations without scripts: min(override), and min(@timestamp) of documents without it. */
function minAggs(ts: TimestampFields): Record<string, estypes.AggregationsAggregationContainer> {
  const aggs: Record<string, estypes.AggregationsAggregationContainer> = {
    min_primary: { min: { field: ts.primary } },
  };
  if (ts.secondary !== undefined)
    aggs['fallback'] = {
      filter: { bool: { must_not: { exists: { field: ts.primary } } } },
      aggs: { min_ts: { min: { field: ts.secondary } } },
    };
  return aggs;
}

/** Phase A with the window's first-seen time per candidate (cheap: only the window's documents). */
function candidatesWithMinSearch(
  input: PhaseInput,
  after: Record<string, unknown> | undefined,
): estypes.SearchRequest {
  const composite: estypes.AggregationsCompositeAggregation = {
    size: input.pageSize,
    sources: [{ f0: { terms: { field: input.field } } }],
  };
  if (after !== undefined) composite.after = after as estypes.AggregationsCompositeAggregateKey;
  return {
    size: 0,
    track_total_hits: false,
    query: { bool: { filter: [input.query, timeRangeFilter(input.timestamps, input.window)] } },
    aggs: { terms: { composite, aggs: minAggs(input.timestamps) } },
  };
}

function candidatesWithMin(res: estypes.SearchResponse<Record<string, unknown>> | undefined): {
  values: unknown[];
  windowMin: Map<string, number>;
  after: Record<string, unknown> | undefined;
  full: boolean;
} {
  const { buckets, afterKey } = compositeOf((res?.aggregations ?? {}) as Record<string, unknown>, 'terms');
  const windowMin = new Map<string, number>();
  const values: unknown[] = [];
  for (const b of buckets) {
    const value = isRecord(b['key']) ? b['key']['f0'] : undefined;
    values.push(value);
    const seen = [metricValue(b, 'min_primary'), metricValue(b, 'fallback', 'min_ts')].filter(
      (v): v is number => v !== undefined,
    );
    if (seen.length > 0) windowMin.set(keyOf(value), Math.min(...seen));
  }
  return { values, windowMin, after: afterKey, full: afterKey !== undefined };
}

/**
 * The proposal ("lean"): per page of 10,000 candidates ONE _msearch holding
 *   B' the history existence check of page k (terms aggregation, no metrics, over [history_window_start, from],
 *      restricted to the page's values by a terms query) and
 *   A' the candidates composite of page k+1 with min(override) / min(@timestamp without override) sub-aggregations
 *      over the window (a new term's first-seen time is its earliest window time);
 * then the source documents only for the new terms that become alerts (the first max_signals in the executor's
 * order), by collapse searches in one _msearch. New terms beyond max_signals are counted, never fetched.
 */
export async function leanAlternative(input: PhaseInput): Promise<StrategyResult> {
  const clock = new Clock();
  const t = performance.now();
  const newTerms = new Map<string, Found>();
  const order: string[] = [];
  let candidates = 0;
  const first = await clock.time("A' candidates composite + window min", async () => {
    const r = await msearch(input, [candidatesWithMinSearch(input, undefined)]);
    return { value: candidatesWithMin(r.responses[0]), took: r.took };
  });
  let page = first;
  for (;;) {
    candidates += page.values.length;
    if (page.values.length === 0) break;
    const more = page.values.length >= input.pageSize && page.after !== undefined;
    const searches = [existsSearch(input, page.values, 'query')];
    if (more) searches.push(candidatesWithMinSearch(input, page.after));
    const out = await clock.time(more ? "B'(k) + A'(k+1) one _msearch" : "B' history exists", async () => {
      const r = await msearch(input, searches);
      return { value: r.responses, took: r.took };
    });
    const seen = seenKeys(out[0]);
    const pageKeys: string[] = [];
    for (const v of page.values) {
      const key = keyOf(v);
      const ms = page.windowMin.get(key);
      if (seen.has(key) || ms === undefined) continue;
      newTerms.set(key, { firstSeenMs: ms, sourceMs: Number.NaN, id: '' });
      pageKeys.push(key);
    }
    const room = input.maxSignals - order.length;
    order.push(...pageOrder(newTerms, pageKeys));
    if (room > 0 && pageKeys.length > 0) {
      const wanted = order.slice(order.length - pageKeys.length, order.length - pageKeys.length + room);
      const hits = await clock.time("C'' sources of the alerts (collapse, _msearch)", async () => {
        const values = wanted.map((k) => (JSON.parse(k) as unknown[])[0]);
        const r = await msearch(input, collapseSearches(input, values));
        return { value: earliestHits(input, r.responses), took: r.took };
      });
      for (const key of wanted) {
        const hit = hits.get(key);
        const found = newTerms.get(key);
        if (hit === undefined || found === undefined) throw new Error(`no source document for ${key}`);
        newTerms.set(key, { ...found, sourceMs: hit.ms, id: hit.id });
      }
    }
    if (!more) break;
    page = candidatesWithMin(out[1]);
  }
  return {
    name: 'lean: exists + window min, sources for alerts only',
    candidates,
    newTerms,
    alerted: order.slice(0, input.maxSignals),
    wallMs: performance.now() - t,
    ...clock.totals(),
    phases: clock.phases,
  };
}

/** Differences between two answers (empty when equal): same terms, same first-seen times, sources at that time. */
export function compareAnswers(ref: StrategyResult, other: StrategyResult): string[] {
  const problems: string[] = [];
  if (ref.candidates !== other.candidates)
    problems.push(`candidates ${other.candidates} != ${ref.candidates}`);
  for (const [key, f] of ref.newTerms) {
    const o = other.newTerms.get(key);
    if (o === undefined) problems.push(`missing new term ${key}`);
    else if (o.firstSeenMs !== f.firstSeenMs)
      problems.push(`${key}: first seen ${o.firstSeenMs} != ${f.firstSeenMs}`);
    if (problems.length > 5) break;
  }
  if (JSON.stringify(ref.alerted) !== JSON.stringify(other.alerted))
    problems.push(`alerted terms differ (${other.alerted.length} vs ${ref.alerted.length})`);
  for (const key of other.alerted) {
    const o = other.newTerms.get(key);
    if (o !== undefined && o.sourceMs !== o.firstSeenMs)
      problems.push(`${key}: source document at ${o.sourceMs}, first seen ${o.firstSeenMs}`);
    if (problems.length > 10) break;
  }
  for (const key of other.newTerms.keys()) {
    if (!ref.newTerms.has(key)) problems.push(`extra new term ${key}`);
    if (problems.length > 10) break;
  }
  return problems;
}
