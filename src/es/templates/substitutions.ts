/**
 * Field types of Elastic's integrations that the Elasticsearch integ-test build (DESIGN.md §10) lacks, and
 * what kdw's lab and test templates use instead. This is the only place such a substitution is made.
 *
 * - constant_keyword (data_stream.*, event.dataset, event.module): keyword. Queries and aggregations behave
 *   the same for a value that is constant per index; only storage differs.
 * - match_only_text (message, *.text multi-fields): text. Same analysis and matching; text also keeps
 *   positions and scores, which only changes scoring, not which documents match.
 * - wildcard: keyword. Wildcard queries on keyword give the same matches (case-sensitive).
 */
export const TYPE_SUBSTITUTIONS = {
  constant_keyword: 'keyword',
  match_only_text: 'text',
  wildcard: 'keyword',
} as const;

export type IntegrationType = keyof typeof TYPE_SUBSTITUTIONS;

export function substitute(type: IntegrationType): (typeof TYPE_SUBSTITUTIONS)[IntegrationType] {
  return TYPE_SUBSTITUTIONS[type];
}
