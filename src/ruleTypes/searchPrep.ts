import type { estypes } from '@elastic/elasticsearch';
import { compileQuery, DETECTION_ENGINE_TIME_ZONE, type FieldTypes } from '../kql';
import type { QueryRule, NewTermsRule, ThresholdRule } from '../rules';
import { timestampFields, type TimestampFields } from './timeRange';
import type { FieldTypesSnapshot, RunDeps, RunWarning } from './types';

export interface PreparedSearch {
  readonly indices: readonly string[];
  readonly types: FieldTypes;
  readonly snapshot: FieldTypesSnapshot;
  readonly query: estypes.QueryDslQueryContainer;
  readonly timestamps: TimestampFields;
  readonly warnings: readonly RunWarning[];
}

type SearchRule = QueryRule | NewTermsRule | ThresholdRule;

/**
 * What every search-based rule type does first: field types of the rule's index patterns, the compiled
 * query, the timestamp fields and the warnings Kibana gives (no matching index, missing timestamp field,
 * exception lists that kdw cannot resolve). `undefined` when no index matches: the search is skipped.
 */
export async function prepareSearch(
  rule: SearchRule,
  deps: RunDeps,
): Promise<
  | { readonly skip: true; readonly warnings: readonly RunWarning[] }
  | ({ readonly skip: false } & PreparedSearch)
> {
  const snapshot = await deps.fields.fieldTypes(rule.index);
  const { types, indices } = snapshot;
  if (indices.length === 0) {
    return {
      skip: true,
      warnings: [
        {
          code: 'no_matching_index',
          message: `no index matches ${rule.index.join(', ')}: the search was skipped`,
        },
      ],
    };
  }
  const warnings: RunWarning[] = [];
  const timestamps = timestampFields(rule.timestampOverride, rule.timestampOverrideFallbackDisabled);
  if (!types.has(timestamps.primary)) {
    warnings.push({
      code: 'missing_timestamp_field',
      message: `the timestamp field ${timestamps.primary} is not mapped in any of ${indices.join(', ')}${
        timestamps.secondary === undefined ? '' : `: documents are found through ${timestamps.secondary}`
      }`,
    });
  }
  if (rule.exceptionsList.length > 0) {
    warnings.push({
      code: 'exceptions_not_applied',
      message: `exception lists (${rule.exceptionsList.map((e) => e.listId).join(', ')}) live in Kibana; kdw does not apply them`,
    });
  }
  const query = compileQuery({
    language: rule.language,
    query: rule.query,
    fieldTypes: types,
    timeZone: DETECTION_ENGINE_TIME_ZONE,
  });
  return { skip: false, indices, types, snapshot, query, timestamps, warnings };
}
