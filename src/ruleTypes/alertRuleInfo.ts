import type { AlertRuleInfo } from '../alerts/build';
import { ruleUuid } from '../alerts/ids';
import type { RunnableRule } from '../rules';

/** Kibana's snake_case rule params, common to all types (kibana.alert.rule.parameters). */
function commonParameters(rule: RunnableRule): Record<string, unknown> {
  const params: Record<string, unknown> = {
    rule_id: rule.ruleId,
    description: rule.description,
    author: [...rule.author],
    false_positives: [...rule.falsePositives],
    from: rule.from,
    to: rule.to,
    immutable: false,
    max_signals: rule.maxSignals,
    risk_score: rule.riskScore,
    risk_score_mapping: rule.riskScoreMapping.map((m) => ({
      field: m.field,
      operator: m.operator,
      value: m.value,
    })),
    severity: rule.severity,
    severity_mapping: rule.severityMapping.map((m) => ({ ...m })),
    threat: threat(rule),
    references: [...rule.references],
    version: rule.version,
    exceptions_list: exceptionsList(rule),
    related_integrations: rule.relatedIntegrations.map((r) => ({ ...r })),
    required_fields: rule.requiredFields.map((r) => ({ ...r })),
    setup: rule.setup ?? '',
    type: rule.type,
    language: rule.language,
    index: [...rule.index],
    query: rule.query,
    filters: [...rule.filters],
  };
  const optional: Record<string, unknown> = {
    license: rule.license,
    note: rule.note,
    timestamp_override: rule.timestampOverride,
    timestamp_override_fallback_disabled:
      rule.timestampOverride === undefined ? undefined : rule.timestampOverrideFallbackDisabled,
    building_block_type: rule.buildingBlockType,
    rule_name_override: rule.ruleNameOverride,
    timeline_id: rule.timelineId,
    timeline_title: rule.timelineTitle,
    data_view_id: rule.dataViewId,
  };
  for (const [k, v] of Object.entries(optional)) if (v !== undefined) params[k] = v;
  return params;
}

function exceptionsList(rule: RunnableRule): Record<string, unknown>[] {
  return rule.exceptionsList.map((e) => ({
    id: e.id,
    list_id: e.listId,
    namespace_type: e.namespaceType,
    type: e.type,
  }));
}

function threat(rule: RunnableRule): Record<string, unknown>[] {
  return rule.threat.map((t) => ({
    framework: t.framework,
    tactic: { ...t.tactic },
    technique: t.technique.map((tech) => ({
      id: tech.id,
      name: tech.name,
      reference: tech.reference,
      subtechnique: tech.subtechnique.map((s) => ({ ...s })),
    })),
  }));
}

function typeParameters(rule: RunnableRule): Record<string, unknown> {
  switch (rule.type) {
    case 'new_terms':
      return {
        new_terms_fields: [...rule.newTerms.fields],
        history_window_start: rule.newTerms.historyWindowStart,
      };
    case 'threshold':
      return {
        threshold: {
          field: [...rule.threshold.field],
          value: rule.threshold.value,
          cardinality: rule.threshold.cardinality.map((c) => ({ ...c })),
        },
      };
    case 'query':
      return {};
  }
}

/** The date a rule file was last changed, as an ISO timestamp (detection-rules writes YYYY/MM/DD). */
function isoDate(date: string): string {
  const ms = Date.parse(date.replaceAll('/', '-'));
  return Number.isNaN(ms) ? new Date(0).toISOString() : new Date(ms).toISOString();
}

/** What every alert of a rule says about the rule (DESIGN.md §6). Computed once per rule version. */
export function alertRuleInfo(rule: RunnableRule): AlertRuleInfo {
  return {
    uuid: ruleUuid(rule.ruleId),
    ruleId: rule.ruleId,
    name: rule.name,
    description: rule.description,
    type: rule.type,
    severity: rule.severity,
    riskScore: rule.riskScore,
    interval: rule.interval,
    from: rule.from,
    to: rule.to,
    maxSignals: rule.maxSignals,
    indices: rule.index,
    tags: rule.tags,
    threat: threat(rule),
    references: rule.references,
    falsePositives: rule.falsePositives,
    note: rule.note,
    author: rule.author,
    license: rule.license,
    version: rule.version,
    timestampOverride: rule.timestampOverride,
    exceptionsList: exceptionsList(rule),
    severityMapping: rule.severityMapping,
    riskScoreMapping: rule.riskScoreMapping,
    ruleNameOverride: rule.ruleNameOverride,
    buildingBlockType: rule.buildingBlockType,
    parameters: { ...commonParameters(rule), ...typeParameters(rule) },
    createdAt: isoDate(rule.metadata.creationDate),
    updatedAt: isoDate(rule.metadata.updatedDate),
  };
}
