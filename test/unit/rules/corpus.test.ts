import { join } from 'node:path';
import { TomlDate } from 'smol-toml';
import { loadRules, type LoadRulesResult, type Rule } from '../../../src/rules';

const CORPUS = join(__dirname, '../../fixtures/rules/corpus');

/**
 * Every key the detection-rules format defines (detection_rules/rule.py and schemas/definitions.py), as paths
 * with `[]` for array elements. The corpus must use each at least once. Tables whose content Kibana defines
 * (filters, actions, meta, extended, ecs_mapping) are listed but not descended into.
 */
const FORMAT_KEYS = `
metadata metadata.bypass_bbr_timing metadata.comments metadata.creation_date metadata.deprecation_date
metadata.deprecated_reason
metadata.extended metadata.integration metadata.maturity metadata.min_stack_comments metadata.min_stack_version
metadata.os_type_list metadata.promotion metadata.query_schema_validation metadata.related_endpoint_rules
metadata.updated_date
transform transform.osquery transform.osquery[].label transform.osquery[].query transform.osquery[].ecs_mapping
transform.investigate transform.investigate[].label transform.investigate[].description
transform.investigate[].relativeFrom transform.investigate[].relativeTo transform.investigate[].providers
transform.investigate[].providers[][].excluded transform.investigate[].providers[][].field
transform.investigate[].providers[][].queryType transform.investigate[].providers[][].value
transform.investigate[].providers[][].valueType
rule rule.actions rule.author rule.building_block_type rule.description rule.enabled rule.false_positives
rule.filters rule.from rule.interval rule.license rule.max_signals rule.meta rule.name rule.note rule.references
rule.revision rule.risk_score rule.rule_id rule.rule_name_override rule.setup rule.severity rule.tags rule.throttle
rule.telemetry rule.timeline_id rule.timeline_title rule.timestamp_override rule.timestamp_override_fallback_disabled rule.to
rule.type rule.version
rule.exceptions_list rule.exceptions_list[].id rule.exceptions_list[].list_id rule.exceptions_list[].namespace_type
rule.exceptions_list[].type
rule.investigation_fields rule.investigation_fields.field_names
rule.related_integrations rule.related_integrations[].package rule.related_integrations[].version
rule.related_integrations[].integration
rule.required_fields rule.required_fields[].name rule.required_fields[].type rule.required_fields[].ecs
rule.risk_score_mapping rule.risk_score_mapping[].field rule.risk_score_mapping[].operator
rule.risk_score_mapping[].value
rule.severity_mapping rule.severity_mapping[].field rule.severity_mapping[].operator rule.severity_mapping[].value
rule.severity_mapping[].severity
rule.threat rule.threat[].framework rule.threat[].tactic rule.threat[].tactic.id rule.threat[].tactic.name
rule.threat[].tactic.reference rule.threat[].technique rule.threat[].technique[].id rule.threat[].technique[].name
rule.threat[].technique[].reference rule.threat[].technique[].subtechnique rule.threat[].technique[].subtechnique[].id
rule.threat[].technique[].subtechnique[].name rule.threat[].technique[].subtechnique[].reference
rule.query rule.language rule.index rule.data_view_id
rule.alert_suppression rule.alert_suppression.group_by rule.alert_suppression.missing_fields_strategy
rule.alert_suppression.duration rule.alert_suppression.duration.unit rule.alert_suppression.duration.value
rule.new_terms rule.new_terms.field rule.new_terms.value rule.new_terms.history_window_start
rule.new_terms.history_window_start[].field rule.new_terms.history_window_start[].value
rule.threshold rule.threshold.field rule.threshold.value rule.threshold.cardinality
rule.threshold.cardinality[].field rule.threshold.cardinality[].value
rule.timestamp_field rule.event_category_override rule.tiebreaker_field
rule.anomaly_threshold rule.machine_learning_job_id
rule.threat_index rule.threat_query rule.threat_language rule.threat_filters rule.threat_indicator_path
rule.concurrent_searches rule.items_per_search rule.threat_mapping rule.threat_mapping[].entries
rule.threat_mapping[].entries[].field rule.threat_mapping[].entries[].type rule.threat_mapping[].entries[].value
rule.threat_mapping[].entries[].negate
rule.saved_id
`
  .trim()
  .split(/\s+/);

const OPAQUE = new Set([
  'metadata.extended',
  'transform.osquery[].ecs_mapping',
  'rule.actions',
  'rule.filters',
  'rule.meta',
  'rule.threat_filters',
]);

function keyPaths(value: unknown, prefix: string, out: Set<string>): void {
  if (OPAQUE.has(prefix)) return;
  if (Array.isArray(value)) {
    for (const v of value) keyPaths(v, `${prefix}[]`, out);
  } else if (typeof value === 'object' && value !== null && !(value instanceof TomlDate)) {
    for (const [k, v] of Object.entries(value)) {
      const path = prefix === '' ? k : `${prefix}.${k}`;
      out.add(path);
      keyPaths(v, path, out);
    }
  }
}

describe('corpus of rule files (test/fixtures/rules/corpus)', () => {
  let result: LoadRulesResult;
  const byName = (file: string): Rule | undefined => result.rules.find((r) => r.file.endsWith(file));

  beforeAll(async () => {
    result = await loadRules([CORPUS]);
  });

  it('loads every file without errors or warnings', () => {
    expect(result.errors.map((e) => e.message)).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.rules).toHaveLength(12);
  });

  it('together uses every key of the format', () => {
    const used = new Set<string>();
    for (const r of result.rules) keyPaths(r.raw, '', used);
    expect(FORMAT_KEYS.filter((k) => !used.has(k))).toEqual([]);
    expect([...used].filter((k) => !FORMAT_KEYS.includes(k))).toEqual([]);
  });

  it.each([
    ['query_every_common_key.toml', 'query', true],
    ['query_lucene_data_view.toml', 'query', true],
    ['query_deprecated.toml', 'query', true],
    ['new_terms_three_fields.toml', 'new_terms', true],
    ['threshold_cardinality.toml', 'threshold', true],
    ['threshold_single_group.toml', 'threshold', true],
    ['eql_sequence_building_block.toml', 'eql', false],
    ['esql_aggregate.toml', 'esql', false],
    ['machine_learning_jobs.toml', 'machine_learning', false],
    ['machine_learning_single_job.toml', 'machine_learning', false],
    ['threat_match_indicator.toml', 'threat_match', false],
    ['saved_query_reference.toml', 'saved_query', false],
  ])('%s is a %s rule (runnable: %s)', (file, type, supported) => {
    const rule = byName(file);
    expect(rule?.type).toBe(type);
    expect(rule?.supported).toBe(supported);
    if (rule !== undefined && !rule.supported) expect(rule.reason).toBe('type not supported yet');
  });

  it('maps every common key to the typed rule', () => {
    expect(byName('query_every_common_key.toml')).toMatchObject({
      ruleId: '5a1e0e6c-1b0d-4c39-9a35-0f6a3e2d9c01',
      type: 'query',
      language: 'kuery',
      index: ['logs-kubernetes.audit_logs-*', 'logs-kubernetes.audit-*'],
      interval: '60m',
      intervalMs: 3_600_000,
      from: 'now-119m',
      to: 'now',
      maxSignals: 1000,
      riskScore: 47,
      severity: 'medium',
      enabled: true,
      version: 4,
      revision: 3,
      license: 'Apache License 2.0',
      buildingBlockType: 'default',
      ruleNameOverride: 'kubernetes.audit.objectRef.name',
      timelineId: '76e52245-7519-4251-91ab-262fb1a1728c',
      timelineTitle: 'Generic Process Timeline',
      throttle: 'no_actions',
      timestampOverride: 'event.ingested',
      timestampOverrideFallbackDisabled: true,
      exceptionsList: [
        { id: 'kdw-corpus-exceptions', listId: 'kdw-corpus-exceptions', namespaceType: 'single', type: 'detection' },
      ],
      investigationFields: ['user.name', 'kubernetes.audit.objectRef.namespace'],
      relatedIntegrations: [{ package: 'kubernetes', version: '^1.80.0', integration: 'audit_logs' }],
      requiredFields: [
        { name: 'event.dataset', type: 'keyword', ecs: true },
        { name: 'kubernetes.audit.verb', type: 'keyword', ecs: false },
      ],
      riskScoreMapping: [{ field: 'event.risk_score', operator: 'equals', value: '' }],
      severityMapping: [
        { field: 'kubernetes.audit.objectRef.namespace', operator: 'equals', value: 'kube-system', severity: 'high' },
      ],
      alertSuppression: {
        groupBy: ['user.name', 'kubernetes.audit.objectRef.namespace'],
        duration: { unit: 'm', value: 30 },
        missingFieldsStrategy: 'doNotSuppress',
      },
      meta: { from: '1m' },
      metadata: {
        creationDate: '2024/02/01',
        updatedDate: '2024/03/15',
        maturity: 'production',
        integration: ['kubernetes', 'cloud_defend'],
        minStackVersion: '8.8.0',
        osTypeList: ['linux'],
        querySchemaValidation: true,
        bypassBbrTiming: false,
      },
    });
  });

  it('maps type-specific keys', () => {
    expect(byName('new_terms_three_fields.toml')).toMatchObject({
      newTerms: {
        fields: ['kubernetes.audit.user.username', 'source.ip', 'user_agent.original'],
        historyWindowStart: 'now-14d',
      },
      alertSuppression: { groupBy: ['kubernetes.audit.user.username'], missingFieldsStrategy: 'suppress' },
    });
    expect(byName('threshold_cardinality.toml')).toMatchObject({
      threshold: {
        field: ['kubernetes.audit.user.username', 'source.ip'],
        value: 20,
        cardinality: [{ field: 'kubernetes.audit.objectRef.name', value: 5 }],
      },
      alertSuppression: { duration: { unit: 'h', value: 1 } },
    });
    expect(byName('threshold_single_group.toml')).toMatchObject({ threshold: { field: [], value: 500 } });
    expect(byName('query_lucene_data_view.toml')).toMatchObject({
      language: 'lucene',
      index: [],
      dataViewId: 'security-solution-default',
      metadata: { integration: ['kubernetes'], promotion: true, extended: { owner: 'detections' } },
    });
    expect(byName('eql_sequence_building_block.toml')).toMatchObject({
      language: 'eql',
      timestampField: 'event.ingested',
      index: ['logs-kubernetes.audit_logs-*'],
    });
    expect(byName('query_deprecated.toml')).toMatchObject({
      riskScore: 0,
      metadata: {
        maturity: 'deprecated',
        deprecationDate: '2023/01/01',
        deprecatedReason: "Replaced by a rule on the audit integration's own fields.",
      },
    });
  });
});
