import { buildReason } from './reason';
import { prepareSource, type FieldTypeOf } from './sourceFields';
import { getPath } from './sourcePath';

/** What an alert document says about its rule (kibana.alert.rule.*). Built once per rule by ruleInfo(). */
export interface AlertRuleInfo {
  readonly uuid: string;
  readonly ruleId: string;
  readonly name: string;
  readonly description: string;
  readonly type: 'query' | 'new_terms' | 'threshold';
  readonly severity: string;
  readonly riskScore: number;
  readonly interval: string;
  readonly from: string;
  readonly to: string;
  readonly maxSignals: number;
  readonly indices: readonly string[];
  readonly tags: readonly string[];
  readonly threat: readonly unknown[];
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  readonly note: string | undefined;
  readonly author: readonly string[];
  readonly license: string | undefined;
  readonly version: number;
  readonly timestampOverride: string | undefined;
  readonly exceptionsList: readonly unknown[];
  readonly severityMapping: readonly SeverityMapping[];
  readonly riskScoreMapping: readonly RiskScoreMapping[];
  readonly ruleNameOverride: string | undefined;
  readonly buildingBlockType: string | undefined;
  /** Kibana's snake_case rule params: query, language, index, new_terms_fields, history_window_start… */
  readonly parameters: Readonly<Record<string, unknown>>;
  /** the rule file's updated_date (or creation_date), as created_at/updated_at */
  readonly createdAt: string;
  readonly updatedAt: string;
}

export interface SeverityMapping {
  readonly field: string;
  readonly operator: string;
  readonly value: string;
  readonly severity: string;
}

export interface RiskScoreMapping {
  readonly field: string;
  readonly operator?: string;
  readonly value?: string;
}

/** One run of one rule: the same for all its alerts. */
export interface AlertRunContext {
  /** the alert's @timestamp (creation) */
  readonly now: Date;
  readonly executionUuid: string;
  /** the scheduled start of the run (kibana.alert.intended_timestamp) */
  readonly intendedTimestamp: Date;
  readonly space: string;
  readonly kibanaVersion: string;
  readonly typeOf: FieldTypeOf;
}

export interface SourceHit {
  readonly _index: string;
  readonly _id: string;
  readonly _source: Record<string, unknown>;
}

export interface BuiltAlert {
  readonly id: string;
  readonly doc: Record<string, unknown>;
  /** source fields dropped because their type conflicts with the alerts mapping */
  readonly removedFields: readonly string[];
}

const CATEGORY = {
  query: 'Custom Query Rule',
  new_terms: 'New Terms Rule',
  threshold: 'Threshold Rule',
} as const;
const RULE_TYPE_ID = {
  query: 'siem.queryRule',
  new_terms: 'siem.newTermsRule',
  threshold: 'siem.thresholdRule',
} as const;
const SEVERITY_ORDER = ['low', 'medium', 'high', 'critical'];

/** severity_mapping: among the mappings whose field equals its value, the highest severity wins (as Kibana). */
export function mappedSeverity(
  source: unknown,
  rule: Pick<AlertRuleInfo, 'severity' | 'severityMapping'>,
): string {
  let best: string | undefined;
  for (const m of rule.severityMapping) {
    const v = getPath(source, m.field);
    const values = Array.isArray(v) ? v : [v];
    if (
      m.operator === 'equals' &&
      values.some((x) => x !== undefined && x !== null && String(x) === m.value)
    ) {
      if (best === undefined || SEVERITY_ORDER.indexOf(m.severity) > SEVERITY_ORDER.indexOf(best))
        best = m.severity;
    }
  }
  return best ?? rule.severity;
}

/** risk_score_mapping: the first mapped field holding a number in 0..100 (as Kibana). */
export function mappedRiskScore(
  source: unknown,
  rule: Pick<AlertRuleInfo, 'riskScore' | 'riskScoreMapping'>,
): number {
  for (const m of rule.riskScoreMapping) {
    const v = getPath(source, m.field);
    const first: unknown = Array.isArray(v) ? v[0] : v;
    const n = typeof first === 'number' ? first : typeof first === 'string' ? Number(first) : Number.NaN;
    if (Number.isFinite(n) && n >= 0 && n <= 100) return n;
  }
  return rule.riskScore;
}

/** rule_name_override: the value of the named source field, when it is a non-empty string. */
export function mappedRuleName(
  source: unknown,
  rule: Pick<AlertRuleInfo, 'name' | 'ruleNameOverride'>,
): string {
  if (rule.ruleNameOverride === undefined) return rule.name;
  const v = getPath(source, rule.ruleNameOverride);
  const first: unknown = Array.isArray(v) ? v[0] : v;
  return typeof first === 'string' && first !== '' ? first : rule.name;
}

/**
 * A Kibana-compatible alert document for one source hit (DESIGN.md §6): the source keeps its nested shape;
 * kibana.alert.* fields are added as dotted keys beside it. Pure and deterministic for a given context.
 */
export function buildAlert(
  rule: AlertRuleInfo,
  hit: SourceHit,
  id: string,
  ctx: AlertRunContext,
  extra: Readonly<Record<string, unknown>> = {},
): BuiltAlert {
  const { doc: source, removed } = prepareSource(hit._source, ctx.typeOf);
  const name = mappedRuleName(hit._source, rule);
  const severity = mappedSeverity(hit._source, rule);
  const riskScore = mappedRiskScore(hit._source, rule);
  const originalTime = getPath(hit._source, '@timestamp');
  const now = ctx.now.toISOString();
  const fields: Record<string, unknown> = {
    '@timestamp': now,
    'event.kind': 'signal',
    'kibana.space_ids': [ctx.space],
    'kibana.version': ctx.kibanaVersion,
    'kibana.alert.uuid': id,
    'kibana.alert.status': 'active',
    'kibana.alert.workflow_status': 'open',
    'kibana.alert.workflow_tags': [],
    'kibana.alert.workflow_assignee_ids': [],
    'kibana.alert.depth': 1,
    'kibana.alert.ancestors': [{ id: hit._id, type: 'event', index: hit._index, depth: 0 }],
    'kibana.alert.reason': buildReason(hit._source, name, severity),
    'kibana.alert.severity': severity,
    'kibana.alert.risk_score': riskScore,
    'kibana.alert.start': now,
    'kibana.alert.last_detected': now,
    'kibana.alert.intended_timestamp': ctx.intendedTimestamp.toISOString(),
    'kibana.alert.rule.execution.uuid': ctx.executionUuid,
    'kibana.alert.rule.execution.type': 'scheduled',
    'kibana.alert.rule.execution.timestamp': now,
    'kibana.alert.rule.category': CATEGORY[rule.type],
    'kibana.alert.rule.rule_type_id': RULE_TYPE_ID[rule.type],
    'kibana.alert.rule.consumer': 'siem',
    'kibana.alert.rule.producer': 'siem',
    'kibana.alert.rule.revision': 0,
    'kibana.alert.rule.name': name,
    'kibana.alert.rule.rule_id': rule.ruleId,
    'kibana.alert.rule.uuid': rule.uuid,
    'kibana.alert.rule.type': rule.type,
    'kibana.alert.rule.description': rule.description,
    'kibana.alert.rule.severity': rule.severity,
    'kibana.alert.rule.risk_score': rule.riskScore,
    'kibana.alert.rule.interval': rule.interval,
    'kibana.alert.rule.from': rule.from,
    'kibana.alert.rule.to': rule.to,
    'kibana.alert.rule.max_signals': rule.maxSignals,
    'kibana.alert.rule.indices': [...rule.indices],
    'kibana.alert.rule.tags': [...rule.tags],
    'kibana.alert.rule.threat': rule.threat,
    'kibana.alert.rule.references': [...rule.references],
    'kibana.alert.rule.false_positives': [...rule.falsePositives],
    'kibana.alert.rule.author': [...rule.author],
    'kibana.alert.rule.version': rule.version,
    'kibana.alert.rule.enabled': true,
    'kibana.alert.rule.immutable': false,
    'kibana.alert.rule.exceptions_list': rule.exceptionsList,
    'kibana.alert.rule.severity_mapping': rule.severityMapping,
    'kibana.alert.rule.risk_score_mapping': rule.riskScoreMapping,
    'kibana.alert.rule.created_at': rule.createdAt,
    'kibana.alert.rule.created_by': 'kdw',
    'kibana.alert.rule.updated_at': rule.updatedAt,
    'kibana.alert.rule.updated_by': 'kdw',
    'kibana.alert.rule.parameters': rule.parameters,
    ...extra,
  };
  if (typeof originalTime === 'string' && !Number.isNaN(Date.parse(originalTime))) {
    fields['kibana.alert.original_time'] = new Date(Date.parse(originalTime)).toISOString();
  }
  const optional: Record<string, string | undefined> = {
    'kibana.alert.rule.note': rule.note,
    'kibana.alert.rule.license': rule.license,
    'kibana.alert.rule.timestamp_override': rule.timestampOverride,
    'kibana.alert.rule.rule_name_override': rule.ruleNameOverride,
    'kibana.alert.rule.building_block_type': rule.buildingBlockType,
    'kibana.alert.building_block_type': rule.buildingBlockType,
  };
  for (const [key, value] of Object.entries(optional)) if (value !== undefined) fields[key] = value;
  // Kibana merges the alert fields into the source; a source key equal to one of ours (e.g. a dotted
  // "@timestamp") is replaced by the alert's value.
  return { id, doc: { ...source, ...fields }, removedFields: removed };
}
