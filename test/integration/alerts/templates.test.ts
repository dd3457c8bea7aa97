import type { Client } from '@elastic/elasticsearch';
import { fieldTypes } from '../../../src/alerts/fieldMap';
import { installKdwTemplates } from '../../../src/alerts/install';
import { ConfigError } from '../../../src/errors';
import { EsResponseError, toEsError } from '../../../src/es/errors';
import { adminClient, closeClients, kdwClient, uniqueName } from '../../helpers/connection';

const admin = adminClient();
const kdw = kdwClient();
const alertsIndex = uniqueName('kdw-alerts-test-');
const executionsIndex = uniqueName('kdw-executions-test-');

/** An alert as kdw's builder writes it for the seed rule "Anonymous Request Authorized" (DESIGN.md §6). */
function alertDocument(id: string): Record<string, unknown> {
  const now = '2026-11-23T10:05:00.000Z';
  return {
    '@timestamp': now,
    event: { kind: 'signal', action: 'get', outcome: 'success', category: ['web'], ingested: now },
    user: { name: 'system:anonymous' },
    user_agent: { original: 'curl/8.5.0' },
    source: { ip: '10.0.0.7' },
    host: { name: 'control-plane-1' },
    kubernetes: {
      audit: {
        verb: 'get',
        auditID: 'a-1',
        userAgent: 'curl/8.5.0',
        user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
        annotations: { 'authorization_k8s_io/decision': 'allow' },
        requestObject: { kind: 'Pod', spec: { dnsPolicy: 'ClusterFirst', hostNetwork: false } },
        responseStatus: { code: 200 },
      },
    },
    'kibana.space_ids': ['default'],
    'kibana.version': '8.19.21',
    'kibana.alert.uuid': id,
    'kibana.alert.status': 'active',
    'kibana.alert.workflow_status': 'open',
    'kibana.alert.workflow_tags': [],
    'kibana.alert.workflow_assignee_ids': [],
    'kibana.alert.depth': 1,
    'kibana.alert.ancestors': [
      { id: 'src-1', type: 'event', index: 'logs-kubernetes.audit_logs-default', depth: 0 },
    ],
    'kibana.alert.original_time': '2026-11-23T10:01:00.000Z',
    'kibana.alert.original_event.action': 'get',
    'kibana.alert.original_event.category': ['web'],
    'kibana.alert.original_event.ingested': now,
    'kibana.alert.original_data_stream.dataset': 'kubernetes.audit_logs',
    'kibana.alert.reason': 'web event by system:anonymous created medium alert Anonymous Request Authorized.',
    'kibana.alert.severity': 'medium',
    'kibana.alert.risk_score': 47,
    'kibana.alert.start': now,
    'kibana.alert.last_detected': now,
    'kibana.alert.intended_timestamp': now,
    'kibana.alert.rule.name': 'Anonymous Request Authorized',
    'kibana.alert.rule.rule_id': '7aed5c9e-3f2a-4b1c-9e7d-2f6a8b9c0d1e',
    'kibana.alert.rule.uuid': '7aed5c9e-3f2a-4b1c-9e7d-2f6a8b9c0d1e',
    'kibana.alert.rule.type': 'query',
    'kibana.alert.rule.rule_type_id': 'siem.queryRule',
    'kibana.alert.rule.category': 'Custom Query Rule',
    'kibana.alert.rule.consumer': 'siem',
    'kibana.alert.rule.producer': 'siem',
    'kibana.alert.rule.revision': 0,
    'kibana.alert.rule.max_signals': [100],
    'kibana.alert.rule.severity': 'medium',
    'kibana.alert.rule.risk_score': 47,
    // longer than Lucene's longest term (32,766 bytes): kept in _source, not indexed, alert still written
    'kibana.alert.rule.note': '## Triage and analysis\n\n'.repeat(1500),
    'kibana.alert.rule.execution.uuid': 'run-1',
    'kibana.alert.rule.execution.type': 'scheduled',
    'kibana.alert.rule.threat': [
      {
        framework: 'MITRE ATT&CK',
        tactic: {
          id: 'TA0001',
          name: 'Initial Access',
          reference: 'https://attack.mitre.org/tactics/TA0001/',
        },
        technique: [
          { id: 'T1078', name: 'Valid Accounts', reference: 'https://attack.mitre.org/techniques/T1078/' },
        ],
      },
    ],
    'kibana.alert.rule.parameters': {
      language: 'kuery',
      query: 'kubernetes.audit.user.username:("system:anonymous" or "system:unauthenticated")',
      index: ['logs-kubernetes.*'],
      max_signals: 100,
    },
    'kibana.alert.rule.exceptions_list': [],
  };
}

async function createAlert(id: string, document: Record<string, unknown>): Promise<void> {
  await kdw.create({ index: alertsIndex, id, document, refresh: true });
}

async function rejection(attempt: Promise<unknown>): Promise<EsResponseError> {
  const err = await attempt.then(
    () => undefined,
    (e: unknown) => toEsError(e, 'create alert', { index: alertsIndex }),
  );
  if (!(err instanceof EsResponseError)) throw new Error(`expected a rejection, got ${String(err)}`);
  return err;
}

async function mappedTypes(client: Client, index: string): Promise<Map<string, string>> {
  const res = await client.indices.getMapping({ index });
  return fieldTypes(res[index]?.mappings.properties ?? {});
}

async function count(query: Record<string, unknown>): Promise<number> {
  return (await kdw.count({ index: alertsIndex, query })).count;
}

beforeAll(async () => {
  const installed = await installKdwTemplates(kdw, { alertsIndex, executionsIndex, version: '0.0.0-test' });
  expect(installed).toEqual({
    alerts: { template: alertsIndex, index: alertsIndex, created: true },
    executions: { template: executionsIndex, index: executionsIndex, created: true },
  });
});

afterAll(async () => {
  await admin.indices.delete({ index: [alertsIndex, executionsIndex] }, { ignore: [404] });
  await admin.indices.deleteIndexTemplate({ name: `${alertsIndex},${executionsIndex}` }, { ignore: [404] });
  await closeClients();
});

describe('kdw index templates, installed by the least-privilege kdw user', () => {
  it('installs again without error, keeping the indices', async () => {
    const again = await installKdwTemplates(kdw, { alertsIndex, executionsIndex });
    expect(again.alerts.created).toBe(false);
    expect(again.executions.created).toBe(false);
    const template = await kdw.indices.getIndexTemplate({ name: alertsIndex });
    const meta = template.index_templates[0]?.index_template._meta;
    expect(meta?.['managed_by']).toBe('kdw');
    expect(template.index_templates[0]?.index_template.index_patterns).toEqual([`${alertsIndex}*`]);
  });

  it('maps the alerts index with Kibana types', async () => {
    const types = await mappedTypes(kdw, alertsIndex);
    expect(
      Object.fromEntries(
        [
          '@timestamp',
          'kibana.alert.rule.name',
          'kibana.alert.severity',
          'kibana.alert.risk_score',
          'kibana.alert.reason',
          'kibana.alert.workflow_status',
          'kibana.alert.depth',
          'kibana.alert.original_time',
          'kibana.alert.rule.parameters',
          'kibana.alert.rule.threat.tactic.name',
          'kibana.alert.time_range',
          'kibana.version',
          'threat.enrichments',
          'host.name',
          'user.name',
          'source.ip',
          'kubernetes.audit.requestObject.rules',
        ].map((f) => [f, types.get(f)]),
      ),
    ).toEqual({
      '@timestamp': 'date',
      'kibana.alert.rule.name': 'keyword',
      'kibana.alert.severity': 'keyword',
      'kibana.alert.risk_score': 'float',
      'kibana.alert.reason': 'keyword',
      'kibana.alert.workflow_status': 'keyword',
      'kibana.alert.depth': 'long',
      'kibana.alert.original_time': 'date',
      'kibana.alert.rule.parameters': 'flattened',
      'kibana.alert.rule.threat.tactic.name': 'keyword',
      'kibana.alert.time_range': 'date_range',
      'kibana.version': 'keyword',
      'threat.enrichments': 'nested',
      'host.name': 'keyword',
      'user.name': 'keyword',
      'source.ip': 'ip',
      'kubernetes.audit.requestObject.rules': 'nested',
    });
    const settings = await kdw.indices.getSettings({ index: alertsIndex });
    expect(settings[alertsIndex]?.settings?.index?.number_of_replicas).toBe('0');
  });

  it('indexes a realistic alert, finds it as the Security app does, and answers 409 for its id again', async () => {
    await createAlert('alert-1', alertDocument('alert-1'));
    expect(await count({ term: { 'kibana.alert.workflow_status': 'open' } })).toBe(1);
    expect(await count({ term: { 'kibana.alert.rule.threat.tactic.name': 'Initial Access' } })).toBe(1);
    expect(await count({ term: { 'kibana.alert.rule.parameters.language': 'kuery' } })).toBe(1);
    expect(await count({ range: { 'kibana.alert.risk_score': { gte: 47 } } })).toBe(1);
    expect(await count({ match: { 'kibana.alert.reason.text': 'anonymous' } })).toBe(1);
    expect(await count({ term: { 'kubernetes.audit.userAgent': 'curl/8.5.0' } })).toBe(1);
    const dup = await rejection(createAlert('alert-1', alertDocument('alert-1')));
    expect(dup.status).toBe(409);
    expect(dup.type).toBe('version_conflict_engine_exception');
  });

  it('accepts unknown source fields (dynamic: false) and rejects a conflicting type of a declared field', async () => {
    const before = await mappedTypes(admin, alertsIndex);
    await createAlert('alert-unknown', {
      ...alertDocument('alert-unknown'),
      brand_new: { deep: [1, 'two', { three: true }] },
      labels: { team: 'platform', replicas: 3 },
      kubernetes: {
        audit: { verb: 'list', user: { extra: { 'x.y/z': ['1'] } }, annotations: { custom: 5 } },
      },
      'kibana.alert.something_new': { n: 1 },
    });
    const after = await mappedTypes(admin, alertsIndex);
    expect([...after.keys()].filter((k) => !before.has(k))).toEqual([]);
    expect(await count({ ids: { values: ['alert-unknown'] } })).toBe(1);

    const badDate = await rejection(
      createAlert('alert-bad-date', { ...alertDocument('x'), 'kibana.alert.original_time': 'yesterday' }),
    );
    expect(badDate.status).toBe(400);
    expect(badDate.message).toMatch(/kibana\.alert\.original_time/);
    const objectForKeyword = await rejection(
      createAlert('alert-bad-object', { ...alertDocument('y'), 'kibana.alert.rule.name': { en: 'x' } }),
    );
    expect(objectForKeyword.status).toBe(400);
    expect(await count({ ids: { values: ['alert-bad-date', 'alert-bad-object'] } })).toBe(0);
  });

  it('maps the execution records, with windows as nested objects', async () => {
    const types = await mappedTypes(kdw, executionsIndex);
    expect(types.get('windows')).toBe('nested');
    expect(types.get('status')).toBe('keyword');
    expect(types.get('message')).toBe('text');
    expect(types.get('warnings')).toBe('keyword');
    expect(types.get('warnings.text')).toBe('text');
    expect(types.get('counts.alerts_created')).toBe('long');
    expect(types.get('run.started_at')).toBe('date');
    await kdw.index({
      index: executionsIndex,
      refresh: true,
      document: {
        '@timestamp': '2026-11-23T10:05:03.000Z',
        rule: { id: 'r-1', uuid: 'r-1', name: 'Anonymous Request Authorized', type: 'query' },
        run: { id: 'run-1', trigger: 'scheduled', started_at: '2026-11-23T10:05:00.000Z' },
        status: 'partial failure',
        message: 'max_signals reached',
        warnings: ['max_signals (100) reached: 12 alerts not written'],
        windows: [
          { from: '2026-11-23T09:59:00.000Z', to: '2026-11-23T10:05:00.000Z', kind: 'main' },
          { from: '2026-11-23T09:53:00.000Z', to: '2026-11-23T09:59:00.000Z', kind: 'catch-up' },
        ],
        durations: { search_ms: 40, indexing_ms: 12, total_ms: 60 },
        counts: {
          hits: 112,
          candidates: 112,
          alerts_created: 100,
          duplicates_skipped: 0,
          alerts_not_written: 12,
        },
        gap: { ms: 360000, from: '2026-11-23T09:53:00.000Z', to: '2026-11-23T09:59:00.000Z' },
        lag: { event_to_ingest_ms: { min: 800, max: 2100, avg: 1200 } },
        kdw: { version: '0.1.0', worker_id: 'w-1' },
      },
    });
    const catchUp = await kdw.count({
      index: executionsIndex,
      query: {
        nested: {
          path: 'windows',
          query: {
            bool: {
              filter: [
                { term: { 'windows.kind': 'catch-up' } },
                { range: { 'windows.to': { lte: '2026-11-23T09:59:00.000Z' } } },
              ],
            },
          },
        },
      },
    });
    expect(catchUp.count).toBe(1);
  });

  it('refuses bad or overlapping index names before asking Elasticsearch', async () => {
    await expect(installKdwTemplates(kdw, { alertsIndex: 'KDW-Alerts' })).rejects.toThrow(
      new ConfigError('alertsIndex is not a valid index name: "KDW-Alerts"'),
    );
    await expect(
      installKdwTemplates(kdw, { alertsIndex: 'kdw-x', executionsIndex: 'kdw-x-executions' }),
    ).rejects.toBeInstanceOf(ConfigError);
  });
});
