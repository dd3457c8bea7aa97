import type { RuleLanguage, UnsupportedRule, UnsupportedTypeName } from '../types';
import { optional } from './base';
import { searchFields } from './common';
import { alertSuppression } from './parts';
import { defineRuleType, type RuleBaseParts } from './ruleType';
import { opt, req, table } from './table';
import { anything, anyStr, bool, int, list, literal, oneOf, str, strList, strOrList } from './validators';

/**
 * eql, esql, machine_learning, threat_match and saved_query: validated like the others, loaded as
 * UnsupportedRule so that `kdw rules list` shows them and nothing tries to run them.
 */

interface Searchish {
  readonly language?: RuleLanguage;
  readonly query?: string;
  readonly index?: string[];
}

function unsupported(base: RuleBaseParts, type: UnsupportedTypeName, s: Searchish): UnsupportedRule {
  return {
    ...base,
    type,
    supported: false,
    reason: 'type not supported yet',
    ...optional('language', s.language),
    ...optional('query', s.query),
    index: s.index ?? [],
  };
}

export const eqlType = defineRuleType(
  {
    query: req(str()),
    language: req(oneOf(['eql'], ' for rule type eql')),
    index: opt(strList({ min: 1 })),
    data_view_id: opt(str()),
    timestamp_field: opt(str()),
    event_category_override: opt(str()),
    tiebreaker_field: opt(str()),
    alert_suppression: opt(alertSuppression),
  },
  (t, base) => ({ ...unsupported(base, 'eql', t), ...optional('timestampField', t.timestamp_field) }),
);

export const esqlType = defineRuleType(
  {
    query: req(str()),
    language: req(oneOf(['esql'], ' for rule type esql')),
    alert_suppression: opt(alertSuppression),
  },
  (t, base) => unsupported(base, 'esql', t),
);

export const machineLearningType = defineRuleType(
  {
    anomaly_threshold: req(int(0, 100)),
    machine_learning_job_id: req(strOrList({ min: 1 })),
    alert_suppression: opt(alertSuppression),
  },
  (_t, base) => unsupported(base, 'machine_learning', {}),
);

const threatMapping = list(
  table({
    entries: req(
      list(table({ field: req(str()), type: req(literal('mapping')), value: req(str()), negate: opt(bool) }), {
        min: 1,
      }),
    ),
  }),
  { min: 1 },
);

export const threatMatchType = defineRuleType(
  {
    ...searchFields('threat_match'),
    threat_index: req(strList({ min: 1 })),
    threat_mapping: req(threatMapping),
    threat_query: opt(anyStr),
    threat_language: opt(oneOf(['kuery', 'lucene'])),
    threat_filters: opt(list(anything)),
    threat_indicator_path: opt(str()),
    concurrent_searches: opt(int(1)),
    items_per_search: opt(int(1)),
  },
  (t, base) => unsupported(base, 'threat_match', t),
);

export const savedQueryType = defineRuleType(
  {
    saved_id: req(str()),
    query: opt(anyStr),
    language: opt(oneOf(['kuery', 'lucene'], ' for rule type saved_query')),
    index: opt(strList({ min: 1 })),
    data_view_id: opt(str()),
    alert_suppression: opt(alertSuppression),
  },
  (t, base) => unsupported(base, 'saved_query', t),
);
