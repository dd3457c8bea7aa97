/**
 * Field types of Elastic's integrations that the Elasticsearch integ-test build (DESIGN.md §10) lacks, and
 * what kdw's lab and test templates use instead. This is the only place such a substitution is made.
 *
 * - constant_keyword (data_stream.*, event.dataset, event.module): keyword. Queries and aggregations behave
 *   the same for a value that is constant per index; only storage differs.
 * - match_only_text (message, *.text multi-fields): text. Same analysis and matching; text also keeps
 *   positions and scores, which only changes scoring, not which documents match.
 * - wildcard: keyword. Wildcard queries on keyword give the same matches (case-sensitive).
 * - scaled_float (ECS metrics such as host.cpu.usage): float. scaled_float stores a long scaled by a factor
 *   to save space; float accepts the same values and answers range queries and aggregations the same, up to
 *   float precision (about 7 significant digits), which no detection compares on.
 * - version (kibana.version in Kibana's alert field map): keyword. Term, terms and exists queries match the
 *   same; only range queries and sorting differ (keyword compares "8.10.0" < "8.9.0" lexically), which the
 *   Security app never does on kibana.version.
 */
export const TYPE_SUBSTITUTIONS = {
  constant_keyword: 'keyword',
  match_only_text: 'text',
  wildcard: 'keyword',
  scaled_float: 'float',
  version: 'keyword',
} as const;

export type IntegrationType = keyof typeof TYPE_SUBSTITUTIONS;

export function substitute(type: IntegrationType): (typeof TYPE_SUBSTITUTIONS)[IntegrationType] {
  return TYPE_SUBSTITUTIONS[type];
}
