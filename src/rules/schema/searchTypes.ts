import { resolveDateMath } from '../dateMath';
import type { KeyPath } from '../path';
import type { AlertSuppression, NewTermsRule, QueryRule, ThresholdRule } from '../types';
import { optional, REFERENCE_NOW } from './base';
import type { Collector } from './collector';
import { searchFields } from './common';
import { dateMath, thresholdAlertSuppression, type alertSuppression } from './parts';
import { defineRuleType, type RuleBaseParts } from './ruleType';
import { opt, req, table } from './table';
import { INVALID, int, list, literal, str, strList, strOrList, type Checked, type Validator } from './validators';

/** query, new_terms and threshold: the rule types kdw runs. */

type SuppressionTable = Validated<typeof alertSuppression>;
type Validated<V> = V extends Validator<infer T> ? T : never;

interface SearchTable {
  readonly query: string;
  readonly language: 'kuery' | 'lucene';
  readonly index?: string[];
  readonly data_view_id?: string;
}

/** The search part of a runnable rule; kdw has no default index patterns, so index (or a data view) is required. */
function search(s: SearchTable, path: KeyPath, c: Collector) {
  if (s.index === undefined && s.data_view_id === undefined) {
    c.error([...path, 'index'], 'is required (or data_view_id)');
    return INVALID;
  }
  return {
    supported: true as const,
    language: s.language,
    query: s.query,
    index: s.index ?? [],
    ...optional('dataViewId', s.data_view_id),
  };
}

export function toSuppression(t: SuppressionTable | undefined): AlertSuppression | undefined {
  if (t === undefined) return undefined;
  return { groupBy: t.group_by, ...optional('duration', t.duration), missingFieldsStrategy: t.missing_fields_strategy };
}

export const queryType = defineRuleType(searchFields('query'), (s, base, c, path): Checked<QueryRule> => {
  const sp = search(s, path, c);
  if (sp === INVALID) return INVALID;
  return { ...base, type: 'query', ...sp, ...optional('alertSuppression', toSuppression(s.alert_suppression)) };
});

const newTerms = table({
  field: req(literal('new_terms_fields')),
  value: req(strList({ min: 1, max: 3, unique: true })),
  history_window_start: req(
    list(table({ field: req(literal('history_window_start')), value: req(dateMath) }), { min: 1, max: 1 }),
  ),
});

export const newTermsType = defineRuleType(
  { ...searchFields('new_terms'), new_terms: req(newTerms) },
  (s, base, c, path): Checked<NewTermsRule> => {
    const sp = search(s, path, c);
    const history = s.new_terms.history_window_start[0]?.value ?? 'now-7d';
    const historyOk = checkHistory(history, base, [...path, 'new_terms', 'history_window_start', 0, 'value'], c);
    if (sp === INVALID || !historyOk) return INVALID;
    return {
      ...base,
      type: 'new_terms',
      ...sp,
      newTerms: { fields: s.new_terms.value, historyWindowStart: history },
      ...optional('alertSuppression', toSuppression(s.alert_suppression)),
    };
  },
);

/** Kibana: the history window is resolved against the window's `to` and must start before `from`. */
function checkHistory(history: string, base: RuleBaseParts, at: KeyPath, c: Collector): boolean {
  const to = resolveDateMath(base.to, REFERENCE_NOW);
  const start = resolveDateMath(history, to).getTime();
  if (start < resolveDateMath(base.from, REFERENCE_NOW).getTime()) return true;
  c.error(at, `must be earlier than from (${base.from}) (got "${history}")`);
  return false;
}

const threshold = table({
  field: req(strOrList({ max: 5, unique: true })),
  value: req(int(1)),
  cardinality: opt(list(table({ field: req(str()), value: req(int(0)) }))),
});

export const thresholdType = defineRuleType(
  { ...searchFields('threshold'), alert_suppression: opt(thresholdAlertSuppression), threshold: req(threshold) },
  (s, base, c, path): Checked<ThresholdRule> => {
    const sp = search(s, path, c);
    if (sp === INVALID) return INVALID;
    return {
      ...base,
      type: 'threshold',
      ...sp,
      threshold: { field: s.threshold.field, value: s.threshold.value, cardinality: s.threshold.cardinality ?? [] },
      ...optional('alertSuppression', s.alert_suppression),
    };
  },
);
