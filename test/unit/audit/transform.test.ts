import { eventTime, transformAuditEvent, type JsonObject } from '../../../src/audit/transform';

const INGESTED = new Date('2026-11-23T12:00:00.000Z');
const READ = new Date('2026-11-23T12:00:05.000Z');

function v1(overrides: JsonObject = {}): JsonObject {
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: '9a8b7c6d-0000-4000-8000-000000000001',
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/kube-system/secrets',
    verb: 'list',
    user: {
      username: 'system:serviceaccount:default:web',
      uid: 'u-123',
      groups: ['system:serviceaccounts', 'system:authenticated'],
    },
    sourceIPs: ['10.0.3.7'],
    userAgent: 'curl/8.5.0',
    objectRef: { resource: 'secrets', namespace: 'kube-system', apiVersion: 'v1' },
    responseStatus: { metadata: {}, status: 'Failure', reason: 'Forbidden', code: 403 },
    requestReceivedTimestamp: '2026-11-20T08:15:30.123456Z',
    stageTimestamp: '2026-11-20T08:15:30.130000Z',
    annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    ...overrides,
  };
}

function doc(raw: JsonObject, shiftMs = 0): JsonObject {
  const result = transformAuditEvent(raw, { ingested: INGESTED, readTime: READ, namespace: 'lab', shiftMs });
  if (!result.ok) throw new Error(result.reason);
  return result.doc;
}

function audit(d: JsonObject): JsonObject {
  return (d['kubernetes'] as { audit: JsonObject }).audit;
}

describe('transformAuditEvent (Elastic Kubernetes integration pipeline)', () => {
  it('puts the raw event under kubernetes.audit and sets the integration constants', () => {
    const d = doc(v1());
    expect(audit(d)['verb']).toBe('list');
    expect(audit(d)['requestURI']).toBe('/api/v1/namespaces/kube-system/secrets');
    expect(d['event']).toMatchObject({
      kind: 'event',
      dataset: 'kubernetes.audit_logs',
      action: 'list',
      outcome: 'failure',
      ingested: INGESTED.toISOString(),
    });
    expect(d['data_stream']).toEqual({ type: 'logs', dataset: 'kubernetes.audit_logs', namespace: 'lab' });
  });

  it('replaces the dots of annotation keys by underscores', () => {
    const d = doc(
      v1({
        annotations: {
          'authorization.k8s.io/decision': 'allow',
          'pod-security.kubernetes.io/enforce-policy': 'privileged:latest',
        },
      }),
    );
    expect(audit(d)['annotations']).toEqual({
      'authorization_k8s_io/decision': 'allow',
      'pod-security_kubernetes_io/enforce-policy': 'privileged:latest',
    });
  });

  it('derives event.outcome from the decision: allow → success, forbid → failure, none → unset', () => {
    expect(
      (doc(v1({ annotations: { 'authorization.k8s.io/decision': 'allow' } }))['event'] as JsonObject)[
        'outcome'
      ],
    ).toBe('success');
    expect((doc(v1())['event'] as JsonObject)['outcome']).toBe('failure');
    const { annotations: _none, ...noAnnotations } = v1();
    expect((doc(noAnnotations)['event'] as JsonObject)['outcome']).toBeUndefined();
  });

  it('makes the ECS copies: user.name, user.id, user_agent.original, source.ip, client.ip, event.action', () => {
    const d = doc(v1());
    expect(d['user']).toEqual({ name: 'system:serviceaccount:default:web', id: 'u-123' });
    expect(d['user_agent']).toEqual({ original: 'curl/8.5.0' });
    expect(d['source']).toEqual({ ip: '10.0.3.7' });
    expect(d['client']).toEqual({ ip: '10.0.3.7' });
    const two = doc(v1({ sourceIPs: ['10.0.3.7', '2001:db8::1'] }));
    expect(two['source']).toEqual({ ip: ['10.0.3.7', '2001:db8::1'] });
    // the pipeline's convert to ip fails as a whole on one bad address, and ignore_failure leaves no copy
    expect(doc(v1({ sourceIPs: ['10.0.3.7', 'not-an-ip'] }))['source']).toBeUndefined();
    const anonymous = doc(v1({ user: { username: 'system:anonymous', groups: ['system:unauthenticated'] } }));
    expect(anonymous['user']).toEqual({ name: 'system:anonymous' });
  });

  it('drops requestObject/responseObject metadata and copies the container images', () => {
    const d = doc(
      v1({
        verb: 'create',
        requestObject: {
          kind: 'Pod',
          metadata: { name: 'x', annotations: { big: 'yes' } },
          spec: { serviceAccountName: 'node-controller', containers: [{ name: 'c', image: 'alpine:3.20' }] },
        },
      }),
    );
    expect(audit(d)['requestObject']).toEqual({
      kind: 'Pod',
      spec: { serviceAccountName: 'node-controller', containers: [{ name: 'c', image: 'alpine:3.20' }] },
    });
    expect(d['container']).toEqual({ image: { name: 'alpine:3.20' } });
  });

  it('takes @timestamp from requestReceivedTimestamp, else stageTimestamp, else timestamp, else the read time', () => {
    const full = transformAuditEvent(v1(), { ingested: INGESTED, readTime: READ });
    expect(full.ok && [full.doc['@timestamp'], full.timestampSource]).toEqual([
      '2026-11-20T08:15:30.123Z',
      'requestReceivedTimestamp',
    ]);
    const { requestReceivedTimestamp: _r, ...noReceived } = v1();
    const stage = transformAuditEvent(noReceived, { ingested: INGESTED, readTime: READ });
    expect(stage.ok && [stage.doc['@timestamp'], stage.timestampSource]).toEqual([
      '2026-11-20T08:15:30.130Z',
      'stageTimestamp',
    ]);
    const { stageTimestamp: _s, ...noTimes } = noReceived;
    const none = transformAuditEvent(noTimes, { ingested: INGESTED, readTime: READ });
    expect(none.ok && [none.doc['@timestamp'], none.timestampSource]).toEqual([
      READ.toISOString(),
      'readTime',
    ]);
    const garbage = transformAuditEvent(
      { ...noTimes, stageTimestamp: 'yesterday' },
      { ingested: INGESTED, readTime: READ },
    );
    expect(garbage.ok && garbage.timestampSource).toBe('readTime');
  });

  it('accepts audit.k8s.io/v1beta1 events and their `timestamp`', () => {
    const { requestReceivedTimestamp: _r, stageTimestamp: _s, ...rest } = v1();
    const beta = { ...rest, apiVersion: 'audit.k8s.io/v1beta1', timestamp: '2019-01-02T03:04:05Z' };
    const result = transformAuditEvent(beta, { ingested: INGESTED, readTime: READ });
    expect(result.ok && [result.doc['@timestamp'], result.timestampSource]).toEqual([
      '2019-01-02T03:04:05.000Z',
      'timestamp',
    ]);
    expect(result.ok && audit(result.doc)['apiVersion']).toBe('audit.k8s.io/v1beta1');
    expect(eventTime(beta)).toEqual({ ms: Date.parse('2019-01-02T03:04:05Z'), source: 'timestamp' });
  });

  it('shifts @timestamp and the event times by shiftMs (replay --now)', () => {
    const hour = 3_600_000;
    const d = doc(v1(), hour);
    expect(d['@timestamp']).toBe('2026-11-20T09:15:30.123Z');
    expect(audit(d)['requestReceivedTimestamp']).toBe('2026-11-20T09:15:30.123Z');
    expect(audit(d)['stageTimestamp']).toBe('2026-11-20T09:15:30.130Z');
  });

  it('does not change its input', () => {
    const raw = v1();
    const copy = JSON.parse(JSON.stringify(raw)) as JsonObject;
    doc(raw, 1000);
    expect(raw).toEqual(copy);
  });

  it('rejects what is not an audit event', () => {
    expect(transformAuditEvent([1], { ingested: INGESTED, readTime: READ })).toEqual({
      ok: false,
      reason: 'not a JSON object',
    });
    expect(
      transformAuditEvent({ kind: 'Pod', apiVersion: 'v1' }, { ingested: INGESTED, readTime: READ }).ok,
    ).toBe(false);
  });
});
