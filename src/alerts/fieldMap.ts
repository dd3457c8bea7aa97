import type { estypes } from '@elastic/elasticsearch';
import { auditLogsMappings } from '../es/templates/auditLogs';
import { TYPE_SUBSTITUTIONS, type IntegrationType } from '../es/templates/substitutions';

/**
 * The field map of Kibana's alert documents, rebuilt for kdw from Kibana's own maps (read with the search
 * tools, see the report of issue 6): the alerts-as-data framework's alert_field_map.ts and
 * legacy_alert_field_map.ts (which the rule registry's technical_rule_field_map.ts merges), Security's
 * common/field_maps chain 8.0.0 → 8.4.0 → 8.13.0 → 8.16.0 → 8.18.0 → 8.19.0 → 9.3.0 → 9.3.1, and Security's
 * rules field map (8.0.0/rules.ts). Names stay dotted as in Kibana; types are Kibana's. Types this
 * Elasticsearch build lacks are replaced only when the map becomes ES properties (./substitutions).
 */
export type AlertFieldType =
  | 'keyword'
  | 'text'
  | 'match_only_text'
  | 'constant_keyword'
  | 'wildcard'
  | 'version'
  | 'date'
  | 'date_range'
  | 'long'
  | 'integer'
  | 'float'
  | 'scaled_float'
  | 'boolean'
  | 'ip'
  | 'flattened'
  | 'object'
  | 'nested'
  /** declared by Kibana but never indexed (kept in _source only) */
  | 'unmapped';

export interface AlertFieldSpec {
  readonly type: AlertFieldType;
  /** the field holds an array of values (documentation only: every ES field accepts arrays) */
  readonly array?: boolean;
  /** as Kibana's map declares it; for groups such as original_event.* it means "when the group is present" */
  readonly required?: boolean;
  readonly ignoreAbove?: number;
  /** false: stored in _source, not searchable */
  readonly index?: false;
  readonly format?: string;
  /** sub-fields of the same value, e.g. { text: 'match_only_text' } gives `<name>.text` */
  readonly multiFields?: Readonly<Record<string, AlertFieldType>>;
}

export type AlertFieldMap = Readonly<Record<string, AlertFieldSpec>>;

const keyword: AlertFieldSpec = { type: 'keyword' };
const keywordReq: AlertFieldSpec = { type: 'keyword', required: true };
const keywords: AlertFieldSpec = { type: 'keyword', array: true };
const keywordsReq: AlertFieldSpec = { type: 'keyword', array: true, required: true };
const ecsKeyword: AlertFieldSpec = { type: 'keyword', ignoreAbove: 1024 };
const ecsKeywordReq: AlertFieldSpec = { type: 'keyword', ignoreAbove: 1024, required: true };
const ecsKeywords: AlertFieldSpec = { type: 'keyword', ignoreAbove: 1024, array: true };
const date: AlertFieldSpec = { type: 'date' };
const dateReq: AlertFieldSpec = { type: 'date', required: true };
const long: AlertFieldSpec = { type: 'long' };
const longReq: AlertFieldSpec = { type: 'long', required: true };
const float: AlertFieldSpec = { type: 'float' };
const bool: AlertFieldSpec = { type: 'boolean' };
const objects: AlertFieldSpec = { type: 'object', array: true };

/** alert_field_map.ts: what every Kibana rule type's alert carries. */
const FRAMEWORK_FIELDS: AlertFieldMap = {
  '@timestamp': dateReq,
  'kibana.alert.action_group': keyword,
  'kibana.alert.case_ids': keywords,
  'kibana.alert.duration.us': long,
  'kibana.alert.end': date,
  'kibana.alert.flapping': bool,
  'kibana.alert.flapping_history': { type: 'boolean', array: true },
  'kibana.alert.maintenance_window_ids': keywords,
  'kibana.alert.maintenance_window_names': keywords,
  'kibana.alert.consecutive_matches': long,
  'kibana.alert.pending_recovered_count': long,
  'kibana.alert.instance.id': keywordReq,
  'kibana.alert.last_detected': date,
  'kibana.alert.previous_action_group': keyword,
  'kibana.alert.reason': { type: 'keyword', multiFields: { text: 'match_only_text' } },
  'kibana.alert.rule.category': keywordReq,
  'kibana.alert.rule.consumer': keywordReq,
  'kibana.alert.rule.execution.timestamp': date,
  'kibana.alert.rule.execution.type': keyword,
  'kibana.alert.rule.execution.uuid': keyword,
  'kibana.alert.intended_timestamp': date,
  'kibana.alert.rule.name': keywordReq,
  // Kibana: flattened, so arbitrary rule parameters never add fields or conflict
  'kibana.alert.rule.parameters': { type: 'flattened', ignoreAbove: 4096 },
  'kibana.alert.rule.producer': keywordReq,
  'kibana.alert.rule.revision': longReq,
  'kibana.alert.rule.tags': keywords,
  'kibana.alert.rule.rule_type_id': keywordReq,
  'kibana.alert.rule.uuid': keywordReq,
  'kibana.alert.severity': keyword,
  'kibana.alert.severity_improving': bool,
  'kibana.alert.start': date,
  'kibana.alert.status': keywordReq,
  'kibana.alert.time_range': { type: 'date_range', format: 'epoch_millis||strict_date_optional_time' },
  'kibana.alert.updated_at': date,
  'kibana.alert.updated_by.user.id': keyword,
  'kibana.alert.updated_by.user.name': keyword,
  'kibana.alert.url': { type: 'keyword', index: false, ignoreAbove: 2048 },
  'kibana.alert.uuid': keywordReq,
  'kibana.alert.workflow_status': keyword,
  'kibana.alert.workflow_tags': keywords,
  'kibana.alert.workflow_assignee_ids': keywords,
  'kibana.alert.scheduled_action.date': keyword,
  'kibana.alert.scheduled_action.group': keyword,
  'kibana.alert.scheduled_action.throttling': { type: 'unmapped' },
  'kibana.alert.index_pattern': keyword,
  'kibana.alert.muted': bool,
  'kibana.alert.snoozed': bool,
  'kibana.space_ids': keywordsReq,
  'kibana.cps_scope.expression': keyword,
  'kibana.cps_scope.linked_projects': { type: 'flattened', array: true },
  'kibana.version': { type: 'version' },
  'event.action': ecsKeyword,
  'event.kind': ecsKeyword,
  // 32766 bytes is Lucene's longest term
  'event.original': { type: 'keyword', ignoreAbove: 32766 },
  // ECS has constant_keyword here; alerts mix data streams, so Kibana maps keyword
  'data_stream.type': keyword,
  'data_stream.dataset': keyword,
  'data_stream.namespace': keyword,
  tags: ecsKeywords,
};

/** legacy_alert_field_map.ts: the rule and workflow fields Security's alerts kept from the signals era. */
const LEGACY_FIELDS: AlertFieldMap = {
  'kibana.alert.risk_score': float,
  'kibana.alert.rule.author': keyword,
  'kibana.alert.rule.created_at': date,
  'kibana.alert.rule.created_by': keyword,
  'kibana.alert.rule.description': keyword,
  'kibana.alert.rule.enabled': keyword,
  'kibana.alert.rule.from': keyword,
  'kibana.alert.rule.interval': keyword,
  'kibana.alert.rule.license': keyword,
  'kibana.alert.rule.note': keyword,
  'kibana.alert.rule.references': keywords,
  'kibana.alert.rule.rule_id': keyword,
  'kibana.alert.rule.rule_name_override': keyword,
  'kibana.alert.rule.to': keyword,
  'kibana.alert.rule.type': keyword,
  'kibana.alert.rule.updated_at': date,
  'kibana.alert.rule.updated_by': keyword,
  'kibana.alert.rule.version': keyword,
  'kibana.alert.suppression.docs_count': long,
  'kibana.alert.suppression.end': date,
  'kibana.alert.suppression.terms.field': keywords,
  'kibana.alert.suppression.start': date,
  'kibana.alert.suppression.terms.value': keywords,
  'kibana.alert.system_status': keyword,
  'kibana.alert.workflow_reason': keyword,
  'kibana.alert.workflow_user': keyword,
  'kibana.alert.workflow_status_updated_at': date,
  'ecs.version': ecsKeyword,
};

/** Security's alerts.ts chain: ancestry, the source event's copy, threshold and new_terms results. */
const SECURITY_ALERT_FIELDS: AlertFieldMap = {
  'kibana.alert.ancestors': { ...objects, required: true },
  'kibana.alert.ancestors.depth': longReq,
  'kibana.alert.ancestors.id': keywordReq,
  'kibana.alert.ancestors.index': keywordReq,
  'kibana.alert.ancestors.rule': keyword,
  'kibana.alert.ancestors.type': keywordReq,
  'kibana.alert.building_block_type': keyword,
  'kibana.alert.depth': longReq,
  'kibana.alert.group.id': keyword,
  'kibana.alert.group.index': { type: 'integer' },
  // 8.0.0, with 8.16.0's ignore_above on the keywords
  'kibana.alert.original_event.action': ecsKeywordReq,
  'kibana.alert.original_event.agent_id_status': ecsKeyword,
  'kibana.alert.original_event.category': { ...ecsKeywordReq, array: true },
  'kibana.alert.original_event.code': ecsKeyword,
  'kibana.alert.original_event.created': dateReq,
  'kibana.alert.original_event.dataset': ecsKeywordReq,
  // Kibana's quirk: keyword here, long in ECS's event.duration
  'kibana.alert.original_event.duration': ecsKeyword,
  'kibana.alert.original_event.end': date,
  'kibana.alert.original_event.hash': ecsKeyword,
  'kibana.alert.original_event.id': ecsKeywordReq,
  'kibana.alert.original_event.ingested': dateReq,
  'kibana.alert.original_event.kind': ecsKeywordReq,
  'kibana.alert.original_event.module': ecsKeywordReq,
  'kibana.alert.original_event.original': ecsKeywordReq,
  'kibana.alert.original_event.outcome': ecsKeywordReq,
  'kibana.alert.original_event.provider': ecsKeywordReq,
  'kibana.alert.original_event.reason': ecsKeyword,
  'kibana.alert.original_event.reference': ecsKeyword,
  'kibana.alert.original_event.risk_score': float,
  'kibana.alert.original_event.risk_score_norm': float,
  'kibana.alert.original_event.sequence': longReq,
  'kibana.alert.original_event.severity': long,
  'kibana.alert.original_event.start': date,
  'kibana.alert.original_event.timezone': ecsKeyword,
  'kibana.alert.original_event.type': { ...ecsKeywordReq, array: true },
  'kibana.alert.original_event.url': ecsKeyword,
  'kibana.alert.original_time': dateReq,
  'kibana.alert.threshold_result.cardinality': { type: 'object' },
  'kibana.alert.threshold_result.cardinality.field': keyword,
  'kibana.alert.threshold_result.cardinality.value': long,
  'kibana.alert.threshold_result.count': long,
  'kibana.alert.threshold_result.from': date,
  'kibana.alert.threshold_result.terms': objects,
  'kibana.alert.threshold_result.terms.field': keyword,
  'kibana.alert.threshold_result.terms.value': keyword,
  // 8.4.0
  'kibana.alert.new_terms': keywords,
  // 8.13.0: entity criticality and risk, copied from the entity analytics indices
  'kibana.alert.host.criticality_level': keyword,
  'kibana.alert.user.criticality_level': keyword,
  'host.asset.criticality': keyword,
  'user.asset.criticality': keyword,
  'host.risk.calculated_level': keyword,
  'host.risk.calculated_score_norm': float,
  'user.risk.calculated_level': keyword,
  'user.risk.calculated_score_norm': float,
  // 8.18.0
  'service.asset.criticality': keyword,
  'service.risk.calculated_level': ecsKeyword,
  'service.risk.calculated_score_norm': float,
  // 8.19.0: data_stream.* of the source, as keyword (ECS's constant_keyword cannot hold several values)
  'kibana.alert.original_data_stream.dataset': keyword,
  'kibana.alert.original_data_stream.namespace': keyword,
  'kibana.alert.original_data_stream.type': keyword,
  'kibana.alert.attack_ids': keywords,
  // 9.3.1: indicator-match enrichments (ECS threat.enrichments, nested)
  'threat.enrichments': { type: 'nested', array: true },
  'threat.enrichments.matched.atomic': ecsKeyword,
  'threat.enrichments.matched.field': ecsKeyword,
  'threat.enrichments.matched.id': ecsKeyword,
  'threat.enrichments.matched.index': ecsKeyword,
  'threat.enrichments.matched.type': ecsKeyword,
  'threat.enrichments.indicator.description': ecsKeyword,
  'threat.enrichments.indicator.first_seen': date,
  'threat.enrichments.indicator.last_seen': date,
  'threat.enrichments.indicator.name': ecsKeyword,
  'threat.enrichments.indicator.provider': ecsKeyword,
  'threat.enrichments.indicator.reference': ecsKeyword,
  'threat.enrichments.indicator.type': ecsKeyword,
  'threat.enrichments.feed.name': ecsKeyword,
};

/**
 * Security's rules field map (8.0.0/rules.ts). kibana.alert.rule.threat has no entry of its own there, so
 * Kibana maps it as a plain object, not nested: the Security app's MITRE filters are plain term queries on
 * kibana.alert.rule.threat.tactic.name etc., which would match nothing on a nested field.
 */
const SECURITY_RULE_FIELDS: AlertFieldMap = {
  'kibana.alert.rule.building_block_type': keyword,
  'kibana.alert.rule.exceptions_list': objects,
  'kibana.alert.rule.false_positives': keywordsReq,
  'kibana.alert.rule.custom_highlighted_fields': keywords,
  'kibana.alert.rule.immutable': keywords,
  'kibana.alert.rule.max_signals': { type: 'long', array: true, required: true },
  'kibana.alert.rule.threat.framework': keywordReq,
  'kibana.alert.rule.threat.tactic.id': keywordReq,
  'kibana.alert.rule.threat.tactic.name': keywordReq,
  'kibana.alert.rule.threat.tactic.reference': keywordReq,
  'kibana.alert.rule.threat.technique.id': keywordReq,
  'kibana.alert.rule.threat.technique.name': keywordReq,
  'kibana.alert.rule.threat.technique.reference': keywordReq,
  'kibana.alert.rule.threat.technique.subtechnique.id': keywordReq,
  'kibana.alert.rule.threat.technique.subtechnique.name': keywordReq,
  'kibana.alert.rule.threat.technique.subtechnique.reference': keywordReq,
  'kibana.alert.rule.timeline_id': keywords,
  'kibana.alert.rule.timeline_title': keywords,
  'kibana.alert.rule.timestamp_override': keyword,
};

/**
 * ECS event.* of the source event, typed as ECS types them so that event.* and its copy
 * kibana.alert.original_event.* agree (except duration, see above). The audit-logs mapping declares only the
 * event fields the Kubernetes integration sets.
 */
const ECS_EVENT_FIELDS: AlertFieldMap = {
  'event.agent_id_status': ecsKeyword,
  'event.category': ecsKeywords,
  'event.code': ecsKeyword,
  'event.created': date,
  'event.dataset': ecsKeyword,
  'event.duration': long,
  'event.end': date,
  'event.hash': ecsKeyword,
  'event.id': ecsKeyword,
  'event.ingested': date,
  'event.module': ecsKeyword,
  'event.outcome': ecsKeyword,
  'event.provider': ecsKeyword,
  'event.reason': ecsKeyword,
  'event.reference': ecsKeyword,
  'event.risk_score': float,
  'event.risk_score_norm': float,
  'event.sequence': long,
  'event.severity': long,
  'event.start': date,
  'event.timezone': ecsKeyword,
  'event.type': ecsKeywords,
  'event.url': ecsKeyword,
};

/** Every field of Kibana's own alert field maps, by its dotted name, with Kibana's types. */
export const KIBANA_ALERT_FIELD_MAP: AlertFieldMap = {
  ...FRAMEWORK_FIELDS,
  ...LEGACY_FIELDS,
  ...SECURITY_ALERT_FIELDS,
  ...SECURITY_RULE_FIELDS,
};

/**
 * Fields kdw writes on every alert (DESIGN.md §6) that Kibana's Security alerts also carry but leave in
 * _source only. kdw maps them so analysts can filter on the rule's own severity, score and index patterns;
 * Kibana's indices do not map them, so a data view over both sees no conflict.
 */
export const KDW_ALERT_FIELDS: AlertFieldMap = {
  'kibana.alert.rule.severity': keyword,
  'kibana.alert.rule.risk_score': float,
  'kibana.alert.rule.indices': keywords,
};

/** The field map of kdw's alerts index: ECS event.*, Kibana's alert fields, kdw's additions. */
export const ALERT_FIELD_MAP: AlertFieldMap = {
  ...ECS_EVENT_FIELDS,
  ...KIBANA_ALERT_FIELD_MAP,
  ...KDW_ALERT_FIELDS,
};

type Properties = Record<string, estypes.MappingProperty>;

/**
 * Lucene rejects a keyword term longer than 32,766 bytes, and with it the whole alert. Kibana leaves most
 * kibana.* keywords unbounded (a rule's note or description could pass the limit); kdw bounds every keyword
 * without its own ignore_above at 8191 characters, the longest string sure to fit in UTF-8. Longer values
 * stay in _source, only not searchable exactly: better than an alert that cannot be written.
 */
export const KEYWORD_IGNORE_ABOVE = 8191;

function isSubstituted(type: AlertFieldType): type is AlertFieldType & IntegrationType {
  return Object.hasOwn(TYPE_SUBSTITUTIONS, type);
}

function esType(type: AlertFieldType): string {
  return isSubstituted(type) ? TYPE_SUBSTITUTIONS[type] : type;
}

function leafProperty(spec: AlertFieldSpec): estypes.MappingProperty {
  const type = esType(spec.type);
  const out: Record<string, unknown> = { type };
  const ignoreAbove =
    spec.ignoreAbove ?? (type === 'keyword' && spec.index !== false ? KEYWORD_IGNORE_ABOVE : undefined);
  if (ignoreAbove !== undefined) out['ignore_above'] = ignoreAbove;
  if (spec.index === false) out['index'] = false;
  if (spec.format !== undefined) out['format'] = spec.format;
  if (spec.multiFields !== undefined) {
    out['fields'] = Object.fromEntries(
      Object.entries(spec.multiFields).map(([name, t]) => [name, { type: esType(t) }]),
    );
  }
  return out as estypes.MappingProperty;
}

interface Node {
  spec?: AlertFieldSpec;
  readonly children: Map<string, Node>;
}

function render(name: string, node: Node): estypes.MappingProperty | undefined {
  const spec = node.spec;
  if (spec?.type === 'unmapped') return undefined;
  if (spec !== undefined && spec.type !== 'object' && spec.type !== 'nested') {
    const child = node.children.keys().next().value;
    if (child !== undefined) {
      throw new Error(`field map: ${name} is a ${spec.type} field and cannot also have ${name}.${child}`);
    }
    return leafProperty(spec);
  }
  if (node.children.size === 0) return { type: spec?.type === 'nested' ? 'nested' : 'object' };
  const properties: Properties = {};
  for (const [key, child] of node.children) {
    const rendered = render(`${name}.${key}`, child);
    if (rendered !== undefined) properties[key] = rendered;
  }
  return spec?.type === 'nested' ? { type: 'nested', properties } : { properties };
}

/**
 * Turns a flat, dotted field map into Elasticsearch `properties`: 'a.b.c' becomes a → b → c objects,
 * entries typed object/nested become the object that holds their sub-fields, types this Elasticsearch lacks
 * are substituted, and 'unmapped' entries are left out. Throws when a leaf field also has sub-fields.
 */
export function toEsProperties(map: AlertFieldMap): Properties {
  const root: Node = { children: new Map() };
  for (const [name, spec] of Object.entries(map)) {
    let node = root;
    for (const part of name.split('.')) {
      if (part === '') throw new Error(`field map: empty path segment in "${name}"`);
      let next = node.children.get(part);
      if (next === undefined) {
        next = { children: new Map() };
        node.children.set(part, next);
      }
      node = next;
    }
    node.spec = spec;
  }
  const out: Properties = {};
  for (const [key, child] of root.children) {
    const rendered = render(key, child);
    if (rendered !== undefined) out[key] = rendered;
  }
  return out;
}

function isObjectLike(p: estypes.MappingProperty): p is estypes.MappingObjectProperty {
  return 'properties' in p && (p.type === undefined || p.type === 'object' || p.type === 'nested');
}

/** Deep merge of two property trees; `over` wins on leaves, objects merge their sub-fields. */
export function mergeProperties(base: Properties, over: Properties): Properties {
  const out: Properties = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const existing = out[key];
    if (existing !== undefined && isObjectLike(existing) && isObjectLike(value)) {
      out[key] = {
        ...existing,
        ...value,
        properties: mergeProperties(existing.properties ?? {}, value.properties ?? {}),
      };
    } else {
      out[key] = value;
    }
  }
  return out;
}

/** Drops `dynamic` from every object so that all inherit the alerts index's `dynamic: false`. */
function withoutDynamic(properties: Properties): Properties {
  const out: Properties = {};
  for (const [key, value] of Object.entries(properties)) {
    if (value.type !== undefined && value.type !== 'object' && value.type !== 'nested') {
      out[key] = value;
      continue;
    }
    const { dynamic: _dynamic, ...rest } = value as estypes.MappingObjectProperty;
    out[key] =
      rest.properties === undefined ? rest : { ...rest, properties: withoutDynamic(rest.properties) };
  }
  return out;
}

/**
 * The mapping of kdw's alerts index: the source fields of the data kdw reads (the Kubernetes audit-logs
 * mapping, userAgent as keyword so alerts can be grouped by it) overlaid with Kibana's alert field map,
 * which wins where both declare a field. `dynamic: false` as in Kibana's alerts indices: undeclared source
 * fields stay in _source and never fail a document; a declared field with a conflicting value still does.
 */
export function alertsMappings(): estypes.MappingTypeMapping {
  const source = withoutDynamic(auditLogsMappings('keyword').properties ?? {});
  return { dynamic: false, properties: mergeProperties(source, toEsProperties(ALERT_FIELD_MAP)) };
}

/**
 * The ES type of every path of a mapping: objects as 'object', multi-fields as `<field>.<name>`. The alert
 * builder uses it to drop source values that conflict with the alerts mapping.
 */
export function fieldTypes(properties: Properties, prefix = ''): Map<string, string> {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(properties)) {
    const path = `${prefix}${key}`;
    out.set(path, value.type ?? 'object');
    if ('properties' in value && value.properties !== undefined) {
      for (const [p, t] of fieldTypes(value.properties, `${path}.`)) out.set(p, t);
    }
    if ('fields' in value && value.fields !== undefined) {
      for (const [p, t] of fieldTypes(value.fields, `${path}.`)) out.set(p, t);
    }
  }
  return out;
}
