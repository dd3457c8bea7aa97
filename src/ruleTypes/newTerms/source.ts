import type { estypes } from '@elastic/elasticsearch';
import { getPath } from '../../alerts/sourcePath';
import { toEsError } from '../../es/errors';
import { pitSearch } from '../../es/pitSearch';
import { timeRangeFilter, timestampSort, type TimestampFields, type TimeWindow } from '../timeRange';
import { termKey } from './ids';
import type { SourceHit } from '../../alerts/build';
import type { NewTerm, TermsPage, TermsSearchInput } from './types';

export interface SourceInput extends TermsSearchInput {
  /** fields that are text somewhere: matched with match_phrase, then compared exactly */
  readonly textFields: ReadonlySet<string>;
  /** candidates checked per _msearch */
  readonly batchSize: number;
}

type Scalar = string | number | boolean;

function scalars(value: unknown): Scalar[] {
  const list: unknown[] = Array.isArray(value) ? value : [value];
  return list.filter(
    (v): v is Scalar => typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean',
  );
}

/** Every combination of the fields' values in a document (arrays give one per value, as composite does). */
export function combinations(source: unknown, fields: readonly string[]): Scalar[][] {
  let out: Scalar[][] = [[]];
  for (const field of fields) {
    const values = [...new Set(scalars(getPath(source, field)))];
    if (values.length === 0) return [];
    out = out.flatMap((prefix) => values.map((v) => [...prefix, v]));
  }
  return out;
}

/** The time a document counts at: the override when present, else the fallback (Kibana's combined timestamp). */
function timeOf(source: unknown, ts: TimestampFields): number | undefined {
  for (const field of [ts.primary, ts.secondary]) {
    if (field === undefined) continue;
    const v = getPath(source, field);
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (typeof first === 'string' || typeof first === 'number') {
      const ms = typeof first === 'number' ? first : Date.parse(first);
      if (!Number.isNaN(ms)) return ms;
    }
  }
  return undefined;
}

function valueClause(field: string, value: Scalar, text: boolean): estypes.QueryDslQueryContainer {
  return text ? { match_phrase: { [field]: String(value) } } : { term: { [field]: value } };
}

function exactMatch(source: unknown, fields: readonly string[], values: readonly Scalar[]): boolean {
  const key = termKey(values);
  return combinations(source, fields).some((c) => termKey(c) === key);
}

/**
 * new_terms for fields that cannot be aggregated (text): the window's documents are read in full and their
 * exact values taken from _source; a combination is new when no document of [history_window_start, from]
 * has exactly it (the phrase query narrows the search, the exact comparison decides). Same answers as the
 * aggregation path on a keyword mapping, which the tests check.
 */
export async function* sourceNewTerms(input: SourceInput): AsyncGenerator<TermsPage> {
  const earliest = new Map<string, { values: Scalar[]; ms: number; hit: SourceHit }>();
  let took = 0;
  for await (const page of pitSearch(input.client, {
    index: input.indices,
    query: { bool: { filter: [input.query, timeRangeFilter(input.timestamps, input.window)] } },
    sort: timestampSort(input.timestamps),
    pageSize: 1000,
    context: { rule: input.rule },
  })) {
    took += page.tookMs;
    for (const h of page.hits) {
      const source = h._source ?? {};
      const ms = timeOf(source, input.timestamps);
      if (ms === undefined) continue;
      for (const values of combinations(source, input.fields)) {
        const key = termKey(values);
        const seen = earliest.get(key);
        if (seen === undefined || ms < seen.ms)
          earliest.set(key, { values, ms, hit: { _index: h._index, _id: h._id ?? '', _source: source } });
      }
    }
  }
  const candidates = [...earliest.values()];
  const history = { from: input.historyStart, to: input.window.from };
  const newTerms: NewTerm[] = [];
  for (let i = 0; i < candidates.length; i += input.batchSize) {
    const batch = candidates.slice(i, i + input.batchSize);
    const seenBefore = await Promise.all(
      batch.map((c) => seenInHistory(input, c.values, history, (t) => (took += t))),
    );
    batch.forEach((c, j) => {
      if (seenBefore[j] !== true) newTerms.push({ values: c.values, firstSeenMs: c.ms, hit: c.hit });
    });
  }
  newTerms.sort(
    (a, b) => a.firstSeenMs - b.firstSeenMs || termKey(a.values).localeCompare(termKey(b.values)),
  );
  yield { candidates: candidates.length, newTerms, tookMs: took };
}

/** Does any document of the history range have exactly these values? */
async function seenInHistory(
  input: SourceInput,
  values: readonly Scalar[],
  history: TimeWindow,
  addTook: (ms: number) => void,
): Promise<boolean> {
  const query: estypes.QueryDslQueryContainer = {
    bool: {
      filter: [
        input.query,
        timeRangeFilter(input.timestamps, history),
        ...input.fields.map((f, i) => valueClause(f, values[i] ?? '', input.textFields.has(f))),
      ],
    },
  };
  let res: estypes.SearchResponse<Record<string, unknown>>;
  try {
    res = await input.client.search<Record<string, unknown>>({
      index: [...input.indices],
      ignore_unavailable: true,
      allow_no_indices: true,
      size: 100,
      _source: [...input.fields],
      query,
    });
  } catch (err) {
    throw toEsError(err, 'new_terms history (from _source)', { rule: input.rule });
  }
  addTook(res.took);
  if (res.hits.hits.some((h) => exactMatch(h._source, input.fields, values))) return true;
  const total = typeof res.hits.total === 'number' ? res.hits.total : (res.hits.total?.value ?? 0);
  if (total <= res.hits.hits.length) return false;
  // more phrase matches than one page (the value occurs inside longer values): scan them all
  for await (const page of pitSearch(input.client, {
    index: input.indices,
    query,
    sort: ['_doc'],
    pageSize: 1000,
    context: { rule: input.rule },
  })) {
    addTook(page.tookMs);
    if (page.hits.some((h) => exactMatch(h._source, input.fields, values))) return true;
  }
  return false;
}
