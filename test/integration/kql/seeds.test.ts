import type { JsonObject } from '../../../src/audit/transform';
import { FieldCapsService } from '../../../src/es/fieldCaps';
import type { UserAgentMapping } from '../../../src/es/templates/auditLogs';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient } from '../../helpers/connection';
import { matchingIds, type ConformanceCase } from '../../helpers/kqlConformance';

// The queries of the three seed rules (../shared/seeds), verbatim.
const DENIED_SA_UNUSUAL_AGENT = `event.dataset:"kubernetes.audit_logs" and
kubernetes.audit.user.username:system\\:serviceaccount\\:* and
kubernetes.audit.annotations.authorization_k8s_io/decision:"forbid" and
kubernetes.audit.userAgent:(* and not (*kubernetes/$Format or karpenter or csi-secrets-store* or OpenAPI-Generator* or Prometheus* or dashboard* or cilium-agent*))
`;
const CONTROLLER_SA_ASSIGNED = `event.dataset : "kubernetes.audit_logs"
  and kubernetes.audit.annotations.authorization_k8s_io/decision:"allow"
  and kubernetes.audit.verb : "create"
  and kubernetes.audit.objectRef.resource : "pods"
  and kubernetes.audit.objectRef.namespace : "kube-system"
  and kubernetes.audit.requestObject.spec.serviceAccountName:*controller`;
const ANONYMOUS_AUTHORIZED = `event.dataset:kubernetes.audit_logs
and kubernetes.audit.annotations.authorization_k8s_io/decision:allow
and kubernetes.audit.user.username:("system:anonymous" or "system:unauthenticated" or not *)
and not kubernetes.audit.requestURI:(/healthz* or /livez* or /readyz*)`;

const SA = { username: 'system:serviceaccount:default:builder', groups: ['system:serviceaccounts'] };
const FORBID = { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' };
const ANON = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

function event(auditID: string, overrides: JsonObject): JsonObject {
  const raw = rawAuditEvent({ auditID, ...overrides });
  for (const [key, value] of Object.entries(overrides)) if (value === undefined) delete raw[key];
  return raw;
}
const denied = (id: string, userAgent: string | undefined, extra: JsonObject = {}): JsonObject =>
  event(id, { user: SA, annotations: FORBID, userAgent, verb: 'get', ...extra });
const podCreate = (id: string, serviceAccountName: string, extra: JsonObject = {}): JsonObject =>
  event(id, {
    verb: 'create',
    objectRef: { resource: 'pods', namespace: 'kube-system', apiVersion: 'v1' },
    requestObject: {
      kind: 'Pod',
      spec: { serviceAccountName, containers: [{ name: 'c', image: 'alpine:3' }] },
    },
    ...extra,
  });
const anonymous = (id: string, requestURI: string, extra: JsonObject = {}): JsonObject =>
  event(id, { user: ANON, requestURI, verb: 'get', ...extra });

const EVENTS: readonly JsonObject[] = [
  // denied service-account requests, one per user agent the rule excludes or not
  denied('s1-curl', 'curl/8.5.0'),
  denied('s1-format', 'kubectl/v0.0.0 (linux/amd64) kubernetes/$Format'),
  denied('s1-karpenter', 'karpenter/v0.32.1 (linux/amd64)'),
  denied('s1-csi', 'csi-secrets-store/v1.4.0 (linux/amd64) kubernetes/abcdef'),
  denied('s1-openapi', 'OpenAPI-Generator/6.6.0/python'),
  denied('s1-prom', 'Prometheus/2.45.0'),
  denied('s1-prom-lower', 'prometheus/2.45.0'),
  denied('s1-dash', 'dashboard/v2.7.0'),
  denied('s1-cilium', 'cilium-agent/v1.14.2'),
  // near misses: allowed, a human, no user agent, a differently cased user name
  event('s1-allowed', { user: SA, userAgent: 'curl/8.5.0', verb: 'get' }),
  event('s1-human', {
    user: { username: 'alice', groups: [] },
    annotations: FORBID,
    userAgent: 'curl/8.5.0',
  }),
  denied('s1-noua', undefined),
  denied('s1-case', 'curl/8.5.0', { user: { username: 'System:serviceaccount:default:x', groups: [] } }),
  // controller service accounts assigned to pods in kube-system
  podCreate('s2-hit', 'replicaset-controller'),
  podCreate('s2-exact', 'controller'),
  podCreate('s2-ns', 'replicaset-controller', {
    objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
  }),
  podCreate('s2-denied', 'replicaset-controller', { annotations: FORBID }),
  podCreate('s2-update', 'replicaset-controller', { verb: 'update' }),
  podCreate('s2-plain', 'builder'),
  podCreate('s2-suffix', 'controller-manager-sa'),
  podCreate('s2-case', 'job-Controller'),
  podCreate('s2-deploy', 'deployment-controller', {
    objectRef: { resource: 'deployments', namespace: 'kube-system', apiGroup: 'apps' },
  }),
  // anonymous requests
  anonymous('s3-anon', '/api/v1/namespaces/kube-system/secrets'),
  anonymous('s3-unauth', '/api/v1/nodes', { user: { username: 'system:unauthenticated', groups: [] } }),
  anonymous('s3-nouser', '/version', { user: { groups: ['system:unauthenticated'] } }),
  anonymous('s3-healthz', '/healthz'),
  anonymous('s3-livez', '/livez?verbose'),
  anonymous('s3-readyz', '/readyz/etcd'),
  anonymous('s3-api-healthz', '/api/healthz'),
  anonymous('s3-forbid', '/api/v1/secrets', { annotations: FORBID }),
  anonymous('s3-case', '/api/v1/pods', { user: { username: 'System:Anonymous', groups: [] } }),
];

/** What each seed query matches, for userAgent mapped as text (recent integration) and as keyword. */
const CASES: Record<UserAgentMapping, readonly (ConformanceCase & { name: string })[]> = {
  text: [
    {
      name: 'denied service account, unusual agent: on text the exclusions with - / $ never match a token',
      query: DENIED_SA_UNUSUAL_AGENT,
      // s2-denied: a denied service-account pod creation by kubectl, a user agent the rule does not exclude
      expected: ['s1-cilium', 's1-csi', 's1-curl', 's1-format', 's1-openapi', 's2-denied'],
    },
    {
      name: 'controller service account assigned',
      query: CONTROLLER_SA_ASSIGNED,
      expected: ['s2-exact', 's2-hit'],
    },
    {
      name: 'anonymous request authorized',
      query: ANONYMOUS_AUTHORIZED,
      expected: ['s3-anon', 's3-api-healthz', 's3-nouser', 's3-unauth'],
    },
    {
      name: 'user agent token, any case',
      query: 'kubernetes.audit.userAgent:PROMETHEUS',
      expected: ['s1-prom', 's1-prom-lower'],
    },
    {
      name: 'user agent prefix wildcard',
      query: 'kubernetes.audit.userAgent:karp*',
      expected: ['s1-karpenter'],
    },
  ],
  keyword: [
    {
      name: 'denied service account, unusual agent: on keyword the exclusions are exact and case-sensitive',
      query: DENIED_SA_UNUSUAL_AGENT,
      expected: ['s1-curl', 's1-karpenter', 's1-prom-lower', 's2-denied'],
    },
    {
      name: 'controller service account assigned',
      query: CONTROLLER_SA_ASSIGNED,
      expected: ['s2-exact', 's2-hit'],
    },
    {
      name: 'anonymous request authorized',
      query: ANONYMOUS_AUTHORIZED,
      expected: ['s3-anon', 's3-api-healthz', 's3-nouser', 's3-unauth'],
    },
    { name: 'user agent term is exact', query: 'kubernetes.audit.userAgent:PROMETHEUS', expected: [] },
    {
      name: 'user agent prefix wildcard',
      query: 'kubernetes.audit.userAgent:karp*',
      expected: ['s1-karpenter'],
    },
  ],
};

const admin = adminClient();
const kdw = kdwClient();
const fieldCaps = new FieldCapsService(kdw);
const streams = new Map<UserAgentMapping, AuditStream>();

beforeAll(async () => {
  for (const userAgent of ['text', 'keyword'] as const) {
    const stream = await createAuditStream(admin, { userAgent });
    streams.set(userAgent, stream);
    await stream.indexRaw(EVENTS);
  }
});

afterAll(async () => {
  await Promise.all([...streams.values()].map((s) => s.remove()));
  await closeClients();
});

describe.each(['text', 'keyword'] as const)('seed rule queries, userAgent mapped as %s', (userAgent) => {
  it.each(CASES[userAgent])('$name', async (testCase) => {
    const stream = streams.get(userAgent);
    if (stream === undefined) throw new Error('no stream');
    const target = { index: stream.dataStream, idField: 'kubernetes.audit.auditID' };
    expect(await matchingIds(kdw, fieldCaps, target, testCase)).toEqual(testCase.expected);
  });
});
