import type { TomlTable } from 'smol-toml';
import { resolveDateMath } from '../dateMath';
import { parseDurationMs } from '../duration';
import type { KeyPath } from '../path';
import type { RuleBase, RuleMetadata } from '../types';
import type { Collector } from './collector';
import type { COMMON_FIELDS } from './common';
import type { metadata as metadataSpec } from './parts';
import type { TableOf } from './table';
import type { Table, Validator } from './validators';

export type CommonTable = TableOf<typeof COMMON_FIELDS>;
export type MetadataTable = ValidatedBy<typeof metadataSpec>;
type ValidatedBy<V> = V extends Validator<infer T> ? T : never;

/** Kibana's defaults for a rule that leaves them out. */
export const RULE_DEFAULTS = { interval: '5m', from: 'now-6m', to: 'now', maxSignals: 100 } as const;

/**
 * Windows are compared at a fixed instant so that validation is a pure function of the file. Midday avoids the
 * day boundary that `/d` rounding would otherwise make significant.
 */
export const REFERENCE_NOW = new Date('2001-06-15T12:00:00.000Z');

export interface DocumentContext {
  readonly file: string;
  readonly raw: TomlTable;
  readonly metadata: RuleMetadata;
  readonly transform?: Table;
  readonly rulePath: KeyPath;
}

/** The fields every rule has, with defaults applied; cross-field checks report to `c`. */
export function buildBase(t: CommonTable, doc: DocumentContext, c: Collector): Omit<RuleBase, 'type'> {
  const interval = t.interval ?? RULE_DEFAULTS.interval;
  const from = t.from ?? RULE_DEFAULTS.from;
  const to = t.to ?? RULE_DEFAULTS.to;
  const intervalMs = parseDurationMs(interval) ?? 300_000;
  checkWindow(from, to, interval, intervalMs, [...doc.rulePath, 'from'], c);
  return {
    file: doc.file,
    ruleId: t.rule_id,
    name: t.name,
    description: t.description,
    author: t.author,
    ...optional('license', t.license),
    version: t.version ?? 1,
    ...optional('revision', t.revision),
    enabled: t.enabled ?? true,
    riskScore: t.risk_score,
    severity: t.severity,
    riskScoreMapping: (t.risk_score_mapping ?? []).map((m) => ({
      field: m.field,
      operator: m.operator,
      value: m.value,
      ...optional('riskScore', m.risk_score),
    })),
    severityMapping: (t.severity_mapping ?? []).map((m) => ({
      field: m.field,
      operator: m.operator,
      value: m.value,
      severity: m.severity,
    })),
    interval,
    intervalMs,
    from,
    to,
    maxSignals: t.max_signals ?? RULE_DEFAULTS.maxSignals,
    ...optional('timestampOverride', t.timestamp_override),
    timestampOverrideFallbackDisabled: t.timestamp_override_fallback_disabled ?? false,
    tags: t.tags ?? [],
    threat: (t.threat ?? []).map((m) => ({
      framework: m.framework,
      tactic: { id: m.tactic.id, name: m.tactic.name, reference: m.tactic.reference },
      technique: (m.technique ?? []).map((tq) => ({
        id: tq.id,
        name: tq.name,
        reference: tq.reference,
        subtechnique: (tq.subtechnique ?? []).map((s) => ({ id: s.id, name: s.name, reference: s.reference })),
      })),
    })),
    references: t.references ?? [],
    falsePositives: t.false_positives ?? [],
    ...optional('note', t.note),
    ...optional('setup', t.setup),
    exceptionsList: (t.exceptions_list ?? []).map((e) => ({
      id: e.id,
      listId: e.list_id,
      namespaceType: e.namespace_type,
      type: e.type,
    })),
    ...optional('buildingBlockType', t.building_block_type),
    ...optional('ruleNameOverride', t.rule_name_override),
    ...optional('timelineId', t.timeline_id),
    ...optional('timelineTitle', t.timeline_title),
    ...optional('throttle', t.throttle),
    investigationFields: t.investigation_fields?.field_names ?? [],
    relatedIntegrations: (t.related_integrations ?? []).map((r) => ({
      package: r.package,
      version: r.version,
      ...optional('integration', r.integration),
    })),
    requiredFields: t.required_fields ?? [],
    filters: t.filters ?? [],
    actions: t.actions ?? [],
    ...optional('meta', t.meta),
    ...optional('transform', doc.transform),
    metadata: doc.metadata,
    raw: doc.raw,
  };
}

export function buildMetadata(m: MetadataTable): RuleMetadata {
  return {
    creationDate: m.creation_date,
    updatedDate: m.updated_date,
    ...optional('deprecationDate', m.deprecation_date),
    ...optional('deprecatedReason', m.deprecated_reason),
    ...optional('maturity', m.maturity),
    integration: m.integration ?? [],
    ...optional('minStackVersion', m.min_stack_version),
    ...optional('minStackComments', m.min_stack_comments),
    ...optional('comments', m.comments),
    osTypeList: m.os_type_list ?? [],
    ...optional('querySchemaValidation', m.query_schema_validation),
    relatedEndpointRules: m.related_endpoint_rules ?? [],
    ...optional('promotion', m.promotion),
    ...optional('bypassBbrTiming', m.bypass_bbr_timing),
    ...optional('extended', m.extended),
  };
}

/** `{ key: value }` when value is defined, else `{}`: keeps optional properties absent, not undefined. */
export function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return value === undefined ? {} : ({ [key]: value } as { [P in K]?: V });
}

function checkWindow(from: string, to: string, interval: string, intervalMs: number, at: KeyPath, c: Collector): void {
  const fromMs = resolveDateMath(from, REFERENCE_NOW).getTime();
  const toMs = resolveDateMath(to, REFERENCE_NOW).getTime();
  if (fromMs >= toMs) {
    c.error(at, `must be earlier than to (${to}) (got "${from}")`);
  } else if (toMs - fromMs < intervalMs) {
    c.warn(at, `look-back from ${from} to ${to} is shorter than the interval ${interval}: events between runs are never searched`);
  }
}
