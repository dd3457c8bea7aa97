import type { estypes } from '@elastic/elasticsearch';

/**
 * A `language = "lucene"` query as Kibana's buildEsQuery sends it: query_string with analyze_wildcard and
 * the time zone, in bool.must; a blank query is match_all. The query text is passed on untouched.
 */
export function compileLucene(query: string, timeZone?: string): estypes.QueryDslQueryContainer {
  const clause: estypes.QueryDslQueryContainer =
    query.trim() === ''
      ? { match_all: {} }
      : {
          query_string: {
            query,
            analyze_wildcard: true,
            ...(timeZone === undefined ? {} : { time_zone: timeZone }),
          },
        };
  return { bool: { must: [clause] } };
}
