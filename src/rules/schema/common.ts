import { RULE_TYPE_NAMES } from '../types';
import {
  alertSuppression,
  dateMath,
  exceptionsList,
  interval,
  investigationFields,
  maxSignals,
  relatedIntegrations,
  requiredFields,
  riskScore,
  riskScoreMapping,
  severity,
  severityMapping,
  threat,
  UUID,
} from './parts';
import { opt, req } from './table';
import { anything, anyStr, bool, freeTable, int, list, oneOf, str, strList } from './validators';

/** Keys of `[rule]` that every rule type accepts (detection-rules' BaseRuleData plus Kibana's fallback flag). */
export const COMMON_FIELDS = {
  actions: opt(list(anything)),
  author: req(strList({ min: 1 })),
  building_block_type: opt(oneOf(['default'])),
  description: req(str()),
  enabled: opt(bool),
  exceptions_list: opt(exceptionsList),
  false_positives: opt(strList()),
  filters: opt(list(anything)),
  from: opt(dateMath),
  interval: opt(interval),
  investigation_fields: opt(investigationFields),
  license: opt(str()),
  max_signals: opt(maxSignals),
  meta: opt(freeTable),
  name: req(str()),
  note: opt(anyStr),
  references: opt(strList()),
  related_integrations: opt(relatedIntegrations),
  required_fields: opt(requiredFields),
  revision: opt(int(0)),
  risk_score: req(riskScore),
  risk_score_mapping: opt(riskScoreMapping),
  rule_id: req(UUID),
  rule_name_override: opt(str()),
  setup: opt(anyStr),
  severity: req(severity),
  severity_mapping: opt(severityMapping),
  tags: opt(strList()),
  /** legacy flag of 2020-2021 detection-rules files; accepted and ignored */
  telemetry: opt(bool),
  threat: opt(threat),
  throttle: opt(str()),
  timeline_id: opt(str()),
  timeline_title: opt(str()),
  timestamp_override: opt(str()),
  timestamp_override_fallback_disabled: opt(bool),
  to: opt(dateMath),
  type: req(oneOf(RULE_TYPE_NAMES)),
  version: opt(int(1)),
} as const;

const QUERY_LANGUAGES = ['kuery', 'lucene'] as const;

/** Keys of query-like rules (query, new_terms, threshold, threat_match); language per type. */
export function searchFields(type: string) {
  return {
    query: req(anyStr),
    language: req(oneOf(QUERY_LANGUAGES, ` for rule type ${type}`)),
    index: opt(strList({ min: 1 })),
    data_view_id: opt(str()),
    alert_suppression: opt(alertSuppression),
  } as const;
}
