import type { RunnableRule } from '../../../src/rules';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient, uniqueName } from '../../helpers/connection';
import { createRunEnv, SEED, seedRule, type RunEnv } from '../../helpers/ruleRun';
import type { JsonObject } from '../../../src/audit/transform';

const admin = adminClient();
const kdw = kdwClient();

// The run starts at T; the rule's window is [T-6m, T]. Events happen at T-3m and are ingested at T-2m.
const T = new Date('2026-11-23T12:00:00.000Z');
const at = (minutesBefore: number): Date => new Date(T.getTime() - minutesBefore * 60_000);
const mainWindow = { from: at(6), to: T, kind: 'main' as const };

function scoped(
  rule: RunnableRule,
  stream: AuditStream,
  overrides: Partial<RunnableRule> = {},
): RunnableRule {
  return { ...rule, index: [stream.dataStream], ...overrides } as RunnableRule;
}

function event(overrides: JsonObject): JsonObject {
  return rawAuditEvent({
    requestReceivedTimestamp: at(3).toISOString(),
    stageTimestamp: at(3).toISOString(),
    ...overrides,
  });
}

const podCreate = (namespace: string, serviceAccountName: string, extra: JsonObject = {}): JsonObject =>
  event({
    verb: 'create',
    requestURI: `/api/v1/namespaces/${namespace}/pods`,
    objectRef: { resource: 'pods', namespace, apiVersion: 'v1' },
    requestObject: {
      kind: 'Pod',
      apiVersion: 'v1',
      spec: { serviceAccountName, containers: [{ name: 'c', image: 'busybox' }] },
    },
    ...extra,
  });

const anonymous = (uri: string, extra: JsonObject = {}): JsonObject =>
  event({
    verb: 'get',
    requestURI: uri,
    user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
    userAgent: 'curl/8.5.0',
    sourceIPs: ['203.0.113.7'],
    ...extra,
  });

describe('query rules on real Elasticsearch', () => {
  let stream: AuditStream;
  let env: RunEnv;

  beforeEach(async () => {
    stream = await createAuditStream(admin);
    env = await createRunEnv(kdw, admin);
  });

  afterEach(async () => {
    await stream.remove();
    await env.remove();
  });

  afterAll(closeClients);

  it('Suspicious Assignment of Controller Service Account fires on its pattern and not on near misses', async () => {
    await stream.indexRaw(
      [
        podCreate('kube-system', 'replicaset-controller', { auditID: 'hit-1' }),
        podCreate('kube-system', 'daemon-set-controller', { auditID: 'hit-2' }),
        podCreate('kube-system', 'coredns', { auditID: 'miss-not-controller' }),
        podCreate('default', 'replicaset-controller', { auditID: 'miss-other-namespace' }),
        podCreate('kube-system', 'job-controller', {
          auditID: 'miss-forbidden',
          annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
        }),
        podCreate('kube-system', 'job-controller', { auditID: 'miss-verb', verb: 'update' }),
        podCreate('kube-system', 'job-controller-extra', { auditID: 'miss-suffix' }),
        event({
          auditID: 'miss-not-pods',
          verb: 'create',
          objectRef: { resource: 'secrets', namespace: 'kube-system' },
          requestObject: { spec: { serviceAccountName: 'x-controller' } },
        }),
      ],
      at(2),
    );
    const result = await env.run(
      scoped(await seedRule(SEED.controllerServiceAccount), stream),
      [mainWindow],
      T,
    );
    expect(result.record.status).toBe('succeeded');
    const alerts = await env.alerts();
    expect(
      alerts.map((a) => (a['kubernetes'] as { audit: { auditID: string } }).audit.auditID).sort(),
    ).toEqual(['hit-1', 'hit-2']);
    expect(result.record.counts).toMatchObject({ hits: 2, alerts_created: 2, duplicates_skipped: 0 });
  });

  it('Anonymous Request Authorized fires on allowed anonymous requests outside health endpoints', async () => {
    const noUser = event({
      auditID: 'hit-no-user',
      verb: 'get',
      requestURI: '/api/v1/namespaces',
      userAgent: 'python-requests/2.31',
    });
    delete noUser['user'];
    await stream.indexRaw(
      [
        anonymous('/api/v1/secrets', { auditID: 'hit-anonymous' }),
        anonymous('/version', {
          auditID: 'hit-unauthenticated',
          user: { username: 'system:unauthenticated' },
        }),
        noUser,
        anonymous('/healthz', { auditID: 'miss-healthz' }),
        anonymous('/livez?verbose', { auditID: 'miss-livez' }),
        anonymous('/readyz', { auditID: 'miss-readyz' }),
        anonymous('/api/v1/secrets', {
          auditID: 'miss-forbidden',
          annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
        }),
        event({
          auditID: 'miss-named-user',
          verb: 'get',
          requestURI: '/api/v1/secrets',
          user: { username: 'alice@example.com' },
        }),
      ],
      at(2),
    );
    const result = await env.run(scoped(await seedRule(SEED.anonymousAuthorized), stream), [mainWindow], T);
    expect(result.record.status).toBe('succeeded');
    const ids = (await env.alerts())
      .map((a) => (a['kubernetes'] as { audit: { auditID: string } }).audit.auditID)
      .sort();
    expect(ids).toEqual(['hit-anonymous', 'hit-no-user', 'hit-unauthenticated']);
  });

  it('finds late arrivals by event.ingested, events without it through @timestamp, and not when the fallback is off', async () => {
    const rule = scoped(await seedRule(SEED.anonymousAuthorized), stream);
    // happened two days ago, ingested now: inside the window by event.ingested
    await stream.indexRaw(
      [
        anonymous('/api/v1/pods', {
          auditID: 'late',
          requestReceivedTimestamp: new Date(T.getTime() - 2 * 86_400_000).toISOString(),
        }),
      ],
      at(2),
    );
    // no event.ingested at all: found by @timestamp (the fallback)
    const [doc] = await transformNoIngested(anonymous('/api/v1/nodes', { auditID: 'no-ingested' }));
    await stream.indexDocs([doc ?? {}]);
    // ingested long ago but @timestamp in the window: the override decides, so not found
    await stream.indexRaw([anonymous('/api/v1/configmaps', { auditID: 'old-ingest' })], at(60));

    await env.run(rule, [mainWindow], T);
    const ids = (await env.alerts())
      .map((a) => (a['kubernetes'] as { audit: { auditID: string } }).audit.auditID)
      .sort();
    expect(ids).toEqual(['late', 'no-ingested']);
    const late = (await env.alerts()).find(
      (a) => (a['kubernetes'] as { audit: { auditID: string } }).audit.auditID === 'late',
    );
    expect(late?.['kibana.alert.original_time']).toBe(new Date(T.getTime() - 2 * 86_400_000).toISOString());

    const env2 = await createRunEnv(kdw, admin);
    try {
      await env2.run({ ...rule, timestampOverrideFallbackDisabled: true }, [mainWindow], T);
      const ids2 = (await env2.alerts())
        .map((a) => (a['kubernetes'] as { audit: { auditID: string } }).audit.auditID)
        .sort();
      expect(ids2).toEqual(['late']);
    } finally {
      await env2.remove();
    }
  });

  it('alerts all 250 events that share one timestamp, and a second run of the window creates no duplicate', async () => {
    await stream.indexRaw(
      Array.from({ length: 250 }, (_, i) => anonymous('/api/v1/secrets', { auditID: `tie-${i}` })),
      at(2),
    );
    const rule = scoped(await seedRule(SEED.anonymousAuthorized), stream, { maxSignals: 1000 });
    const first = await env.run(rule, [mainWindow], T);
    expect(first.record.counts).toMatchObject({ hits: 250, alerts_created: 250, duplicates_skipped: 0 });
    const second = await env.run(rule, [mainWindow], T);
    expect(second.record.status).toBe('succeeded');
    expect(second.record.counts).toMatchObject({ alerts_created: 0, duplicates_skipped: 250 });
    expect((await kdw.count({ index: env.alertsIndex })).count).toBe(250);
  });

  it('records reaching max_signals as a partial failure with the count of events left out', async () => {
    await stream.indexRaw(
      Array.from({ length: 30 }, (_, i) => anonymous('/api/v1/secrets', { auditID: `many-${i}` })),
      at(2),
    );
    const rule = scoped(await seedRule(SEED.anonymousAuthorized), stream, { maxSignals: 10 });
    const result = await env.run(rule, [mainWindow], T);
    expect(result.record.status).toBe('partial failure');
    expect(result.record.counts.alerts_created).toBe(10);
    expect(result.record.warnings).toEqual([
      'max_signals_reached: max_signals (10) reached: 20 matching events were not turned into alerts',
    ]);
    // the next run picks up where the cap stopped: existing alerts do not use up max_signals
    const next = await env.run(rule, [mainWindow], T);
    expect(next.record.counts).toMatchObject({ alerts_created: 10, duplicates_skipped: 10 });
  });

  it('writes the other alerts when the alerts index rejects one, and reports the rejected one', async () => {
    await stream.indexRaw(
      [
        anonymous('/api/v1/secrets', { auditID: 'ok-1' }),
        anonymous('/api/v1/secrets', {
          auditID: 'rejected',
          objectRef: { resource: 'secrets', name: 'db-password' },
        }),
        anonymous('/api/v1/secrets', { auditID: 'ok-2' }),
      ],
      at(2),
    );
    // an alerts index whose mapping disagrees with kdw's template: objectRef.name is a number here
    const conflicting = await createRunEnv(kdw, admin, { install: false });
    try {
      await admin.indices.create({
        index: conflicting.alertsIndex,
        settings: { number_of_replicas: 0 },
        mappings: {
          properties: {
            kubernetes: {
              properties: {
                audit: { properties: { objectRef: { properties: { name: { type: 'long' } } } } },
              },
            },
          },
        },
      });
      await admin.indices.create({ index: conflicting.executionsIndex, settings: { number_of_replicas: 0 } });
      const result = await conflicting.run(
        scoped(await seedRule(SEED.anonymousAuthorized), stream),
        [mainWindow],
        T,
      );
      expect(result.record.status).toBe('partial failure');
      expect(result.record.counts).toMatchObject({ alerts_created: 2, alerts_not_written: 1 });
      expect(result.record.warnings).toHaveLength(1);
      expect(result.record.warnings[0]).toMatch(
        /^alerts_not_written: alert [0-9a-f]{64} was not written: 400 document_parsing_exception: .*objectRef\.name/,
      );
    } finally {
      await conflicting.remove();
    }
  });

  it('writes alerts with the fields the Kibana Security alerts table reads, and an execution record', async () => {
    await stream.indexRaw([anonymous('/api/v1/secrets', { auditID: 'shape' })], at(2));
    const rule = scoped(await seedRule(SEED.anonymousAuthorized), stream);
    const result = await env.run(rule, [mainWindow], T);
    const [alert] = await env.alerts();
    expect(alert).toBeDefined();
    const a = alert ?? {};
    expect(a).toMatchObject({
      'event.kind': 'signal',
      'kibana.alert.rule.name': 'Kubernetes Anonymous Request Authorized',
      'kibana.alert.rule.rule_id': SEED.anonymousAuthorized,
      'kibana.alert.rule.type': 'query',
      'kibana.alert.rule.category': 'Custom Query Rule',
      'kibana.alert.rule.rule_type_id': 'siem.queryRule',
      'kibana.alert.rule.consumer': 'siem',
      'kibana.alert.rule.producer': 'siem',
      'kibana.alert.severity': rule.severity,
      'kibana.alert.risk_score': rule.riskScore,
      'kibana.alert.workflow_status': 'open',
      'kibana.alert.status': 'active',
      'kibana.alert.workflow_tags': [],
      'kibana.alert.workflow_assignee_ids': [],
      'kibana.space_ids': ['default'],
      'kibana.alert.depth': 1,
      'kibana.alert.original_time': at(3).toISOString(),
      'kibana.alert.reason': `event with source 203.0.113.7 by system:anonymous created ${rule.severity} alert Kubernetes Anonymous Request Authorized.`,
      'kibana.alert.rule.parameters': {
        query: rule.query,
        language: 'kuery',
        index: [stream.dataStream],
        timestamp_override: 'event.ingested',
      },
      'kibana.alert.rule.timestamp_override': 'event.ingested',
      'kibana.alert.original_event.action': 'get',
      'kibana.alert.original_event.dataset': 'kubernetes.audit_logs',
      'kibana.alert.original_event.kind': 'event',
      user: { name: 'system:anonymous' },
    });
    expect(a['@timestamp']).toEqual(expect.any(String));
    expect(a['kibana.alert.uuid']).toMatch(/^[0-9a-f]{64}$/);
    expect(a['kibana.alert.ancestors']).toEqual([
      { id: expect.any(String), type: 'event', index: expect.stringContaining(stream.dataStream), depth: 0 },
    ]);
    expect(a['kibana.alert.rule.threat']).toEqual(
      expect.arrayContaining([expect.objectContaining({ framework: 'MITRE ATT&CK' })]),
    );
    expect(typeof a['kibana.alert.rule.note']).toBe('string');
    expect((a['event'] as Record<string, unknown>)['kind']).toBeUndefined();
    // the analysts' default filter finds it
    const open = await kdw.count({
      index: env.alertsIndex,
      query: { term: { 'kibana.alert.workflow_status': 'open' } },
    });
    expect(open.count).toBe(1);
    const record = await kdw.get({
      index: env.executionsIndex,
      id: `${SEED.anonymousAuthorized}:${result.record.run.id}`,
    });
    expect(record._source).toMatchObject({
      status: 'succeeded',
      counts: { alerts_created: 1 },
      windows: [{ kind: 'main' }],
    });
  });

  it('warns and skips the search when no index matches', async () => {
    const rule = {
      ...(await seedRule(SEED.anonymousAuthorized)),
      index: [`logs-${uniqueName('none')}-*`],
    } as RunnableRule;
    const result = await env.run(rule, [mainWindow], T);
    expect(result.record.status).toBe('partial failure');
    expect(result.record.warnings[0]).toMatch(
      /^no_matching_index: no index matches logs-none.*-\*: the search was skipped$/,
    );
  });
});

async function transformNoIngested(raw: JsonObject): Promise<JsonObject[]> {
  const { transformAuditEvent } = await import('../../../src/audit/transform');
  const result = transformAuditEvent(raw, { ingested: T, readTime: T });
  if (!result.ok) throw new Error(result.reason);
  const doc = result.doc;
  const eventObj = doc['event'] as JsonObject;
  delete eventObj['ingested'];
  return [doc];
}
