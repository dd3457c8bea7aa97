import type { JsonObject } from '../../../src/audit/transform';
import { FieldCapsService } from '../../../src/es/fieldCaps';
import { compileQuery, KqlCompileError } from '../../../src/kql';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient } from '../../helpers/connection';
import { matchingIds, type ConformanceCase } from '../../helpers/kqlConformance';

/**
 * KQL on Kubernetes audit events with the integration's mapping (userAgent as text): every escape, wildcards
 * at the start, end and middle, case sensitivity, arrays, arrays of objects, nested rules, missing fields,
 * `not *`, precedence, ranges, phrases, ECS copies, and a document written with dotted keys.
 */
const ALL = ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9'];
const FORBID = { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': 'RBAC: denied' };
const EARLY = '2024-04-30T23:59:59.000Z';
const at = (iso: string): JsonObject => ({ requestReceivedTimestamp: iso, stageTimestamp: iso });

const EVENTS: readonly JsonObject[] = [
  rawAuditEvent({
    auditID: 'g1',
    verb: 'get',
    ...at('2024-05-01T10:00:00.000Z'),
    user: {
      username: 'system:serviceaccount:kube-system:default',
      groups: ['system:serviceaccounts', 'system:authenticated'],
    },
    userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/6911225',
    requestURI: '/api/v1/namespaces/kube-system/secrets/token',
    objectRef: { resource: 'secrets', namespace: 'kube-system', name: 'token', apiVersion: 'v1' },
  }),
  rawAuditEvent({
    auditID: 'g2',
    verb: 'create',
    ...at('2024-05-01T11:30:00.000Z'),
    user: { username: 'alice', groups: ['system:authenticated', 'devs'] },
    userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/120.0',
    sourceIPs: ['192.168.1.5', '10.0.0.7'],
    requestURI: '/api/v1/namespaces/default/pods',
    objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 201 },
    requestObject: {
      kind: 'Pod',
      spec: {
        hostNetwork: true,
        dnsPolicy: 'ClusterFirst',
        serviceAccountName: 'default',
        containers: [
          { name: 'a', image: 'nginx:1.25', securityContext: { privileged: true } },
          { name: 'b', image: 'busybox:latest' },
        ],
      },
    },
  }),
  rawAuditEvent({
    auditID: 'g3',
    verb: 'delete',
    ...at('2024-05-02T00:00:00.000Z'),
    user: { username: 'Bob Smith', groups: ['system:authenticated'] },
    userAgent: 'curl/8.5.0',
    sourceIPs: ['203.0.113.9'],
    annotations: FORBID,
    requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/admin',
    objectRef: { resource: 'clusterrolebindings', name: 'admin', apiGroup: 'rbac.authorization.k8s.io' },
    responseStatus: {
      metadata: {},
      code: 403,
      reason: 'Forbidden',
      message:
        'clusterrolebindings.rbac.authorization.k8s.io "admin" is forbidden: User "Bob Smith" cannot delete',
    },
  }),
  rawAuditEvent({
    auditID: 'g4',
    verb: 'create',
    ...at(EARLY),
    user: { username: 'system:admin', groups: ['system:masters', 'system:authenticated'] },
    userAgent: 'kubectl/v1.29.0 (darwin/arm64) kubernetes/abc',
    requestURI: '/apis/rbac.authorization.k8s.io/v1/clusterroles',
    objectRef: { resource: 'clusterroles', name: 'reader', apiGroup: 'rbac.authorization.k8s.io' },
    requestObject: {
      kind: 'ClusterRole',
      rules: [
        { apiGroups: [''], resources: ['secrets'], verbs: ['get', 'list'] },
        { apiGroups: ['apps'], resources: ['deployments'], verbs: ['*'] },
      ],
    },
  }),
  rawAuditEvent({
    auditID: 'g5',
    verb: 'patch',
    ...at(EARLY),
    user: { username: 'eve', groups: ['system:authenticated'] },
    userAgent: 'python-requests/2.31.0',
    requestURI: '/api/v1/namespaces/default/configmaps/a?b=c&d=e',
    objectRef: { resource: 'configmaps', namespace: 'default', name: 'weird(name):with*stars"and"quotes{x}' },
  }),
  rawAuditEvent({
    auditID: 'g6',
    verb: 'watch',
    ...at(EARLY),
    user: { username: 'system:node:worker-1', groups: ['system:nodes', 'system:authenticated'] },
    impersonatedUser: { username: 'system:admin' },
    userAgent: 'kubelet/v1.30.1 (linux/amd64) kubernetes/6911225',
    sourceIPs: ['192.168.1.20'],
    requestURI: '/api/v1/pods?watch=true',
    objectRef: { resource: 'pods', apiVersion: 'v1' },
    requestObject: {
      kind: 'Pod',
      spec: { hostPID: true, containers: [{ image: 'registry.k8s.io/pause:3.9' }] },
    },
  }),
  rawAuditEvent({
    auditID: 'g8',
    verb: 'list',
    ...at(EARLY),
    user: { groups: ['system:unauthenticated'] },
    userAgent: undefined,
    requestURI: '/api/v1/nodes',
    objectRef: { resource: 'nodes', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 500 },
  }),
  rawAuditEvent({
    auditID: 'g9',
    verb: 'get',
    ...at(EARLY),
    user: { username: 'and', groups: ['system:authenticated'] },
    userAgent: 'Go-http-client/2.0',
    requestURI: '/api/v1/namespaces/default/configmaps/not found',
    objectRef: { resource: 'configmaps', namespace: 'default', name: 'not found' },
  }),
].map((event) => {
  // rawAuditEvent fills defaults; an explicit undefined means "absent from the event"
  for (const [key, value] of Object.entries(event)) if (value === undefined) delete event[key];
  return event;
});

/** Written with dotted keys instead of objects, as some shippers do: must match like the others. */
const DOTTED: JsonObject = {
  '@timestamp': '2024-04-30T12:00:00.000Z',
  'event.dataset': 'kubernetes.audit_logs',
  'kubernetes.audit.auditID': 'g7',
  'kubernetes.audit.verb': 'get',
  'kubernetes.audit.user.username': 'dotted:user',
  kubernetes: { 'audit.objectRef': { resource: 'secrets' } },
};

const CASES: readonly ConformanceCase[] = [
  // keyword fields: exact and case-sensitive
  { query: 'kubernetes.audit.verb:get', expected: ['g1', 'g7', 'g9'] },
  { query: 'kubernetes.audit.verb:GET', expected: [] },
  { query: 'kubernetes.audit.verb:"get"', expected: ['g1', 'g7', 'g9'] },
  { query: 'kubernetes.audit.verb : get', expected: ['g1', 'g7', 'g9'] },
  { query: 'kubernetes.audit.verb:(get or list)', expected: ['g1', 'g7', 'g8', 'g9'] },
  { query: 'kubernetes.audit.verb:(create and not get)', expected: ['g2', 'g4'] },
  { query: 'not kubernetes.audit.verb:get', expected: ['g2', 'g3', 'g4', 'g5', 'g6', 'g8'] },
  { query: 'NOT kubernetes.audit.verb:get', expected: ['g2', 'g3', 'g4', 'g5', 'g6', 'g8'] },
  // precedence: not binds tightest, then and, then or
  {
    query:
      'kubernetes.audit.verb:get or kubernetes.audit.verb:delete and kubernetes.audit.user.username:alice',
    expected: ['g1', 'g7', 'g9'],
  },
  {
    query:
      '(kubernetes.audit.verb:get or kubernetes.audit.verb:delete) and kubernetes.audit.user.username:"Bob Smith"',
    expected: ['g3'],
  },
  {
    query: 'kubernetes.audit.verb:get and not kubernetes.audit.user.username:dotted\\:user',
    expected: ['g1', 'g9'],
  },
  {
    query: 'not kubernetes.audit.verb:get and not kubernetes.audit.verb:create or kubernetes.audit.verb:get',
    expected: ['g1', 'g3', 'g5', 'g6', 'g7', 'g8', 'g9'],
  },
  {
    query: 'not (kubernetes.audit.verb:get or kubernetes.audit.verb:create)',
    expected: ['g3', 'g5', 'g6', 'g8'],
  },
  {
    query: 'kubernetes.audit.verb:get AND kubernetes.audit.objectRef.resource:secrets',
    expected: ['g1', 'g7'],
  },
  { query: 'kubernetes.audit.verb:watch Or kubernetes.audit.verb:patch', expected: ['g5', 'g6'] },
  // unquoted values keep inner spaces
  { query: 'kubernetes.audit.user.username:Bob Smith', expected: ['g3'] },
  { query: 'kubernetes.audit.user.username:bob smith', expected: [] },
  { query: 'kubernetes.audit.user.username:"Bob Smith"', expected: ['g3'] },
  // wildcards: trailing, leading, middle; escaped colons; case-sensitive on keyword
  { query: 'kubernetes.audit.user.username:system\\:*', expected: ['g1', 'g4', 'g6'] },
  { query: 'kubernetes.audit.user.username:*\\:worker-1', expected: ['g6'] },
  { query: 'kubernetes.audit.user.username:*admin', expected: ['g4'] },
  { query: 'kubernetes.audit.user.username:system*admin', expected: ['g4'] },
  { query: 'kubernetes.audit.user.username:*serviceaccount*', expected: ['g1'] },
  { query: 'kubernetes.audit.user.username:System\\:*', expected: [] },
  { query: 'kubernetes.audit.user.username:"system:*"', expected: [] },
  { query: 'kubernetes.audit.user.username:system\\:*', expected: ['g1', 'g4', 'g6'], language: 'lucene' },
  // keywords as values
  { query: 'kubernetes.audit.user.username:\\and', expected: ['g9'] },
  { query: 'kubernetes.audit.user.username:and', expected: ['g9'] },
  { query: 'kubernetes.audit.user.username:"and"', expected: ['g9'] },
  { query: 'kubernetes.audit.objectRef.name:"not found"', expected: ['g9'] },
  // Kibana reads "\n" before "\not": the value is a newline and "ot found", which matches nothing
  { query: 'kubernetes.audit.objectRef.name:\\not found', expected: [] },
  { query: 'kubernetes.audit.objectRef.name:\\Not found', expected: [] },
  { query: 'kubernetes.audit.objectRef.name:\\u006eot found', expected: ['g9'] },
  // every special character escaped, quoted, and inside wildcards
  {
    query: 'kubernetes.audit.objectRef.name:weird\\(name\\)\\:with\\*stars\\"and\\"quotes\\{x\\}',
    expected: ['g5'],
  },
  { query: 'kubernetes.audit.objectRef.name:"weird(name):with*stars\\"and\\"quotes{x}"', expected: ['g5'] },
  { query: 'kubernetes.audit.objectRef.name:weird\\(*', expected: ['g5'] },
  { query: 'kubernetes.audit.objectRef.name:*stars\\"and*', expected: ['g5'] },
  { query: 'kubernetes.audit.objectRef.name:*\\*stars*', expected: ['g5'] },
  { query: 'kubernetes.audit.objectRef.name:*\\{x\\}', expected: ['g5'] },
  { query: 'kubernetes.audit.objectRef.name:w?ird*', expected: [] },
  { query: 'kubernetes.audit.requestURI:/api/v1/namespaces/default/configmaps/a?b=c&d=e', expected: ['g5'] },
  { query: 'kubernetes.audit.requestURI:*?b=c*', expected: ['g5'] },
  { query: 'kubernetes.audit.requestURI:/apis/rbac.authorization.k8s.io/*', expected: ['g3', 'g4'] },
  { query: 'kubernetes.audit.requestURI:*secrets*', expected: ['g1'] },
  // "not " inside an unquoted value is the keyword (a syntax error): escape its first letter
  { query: 'kubernetes.audit.requestURI:*/\\u006eot found', expected: ['g9'] },
  // text field (userAgent): analyzed, any case; phrases keep order
  { query: 'kubernetes.audit.userAgent:kubectl', expected: ['g1', 'g4'] },
  { query: 'kubernetes.audit.userAgent:KUBECTL', expected: ['g1', 'g4'] },
  { query: 'kubernetes.audit.userAgent:"linux/amd64"', expected: ['g1', 'g6'] },
  { query: 'kubernetes.audit.userAgent:"amd64 linux"', expected: [] },
  { query: 'kubernetes.audit.userAgent:linux amd64', expected: ['g1', 'g2', 'g6'] },
  { query: 'kubernetes.audit.userAgent:kube*', expected: ['g1', 'g4', 'g6'] },
  { query: 'kubernetes.audit.userAgent:Curl*', expected: ['g3'] },
  { query: 'kubernetes.audit.userAgent:curl/8.5.0', expected: ['g3'] },
  { query: 'kubernetes.audit.userAgent:*', expected: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g9'] },
  { query: 'not kubernetes.audit.userAgent:*', expected: ['g7', 'g8'] },
  // ECS copies: keyword and its text multi-field
  { query: 'user_agent.original:curl/8.5.0', expected: ['g3'] },
  { query: 'user_agent.original:curl*', expected: ['g3'] },
  { query: 'user_agent.original:Curl*', expected: [] },
  { query: 'user_agent.original.text:chrome', expected: ['g2'] },
  { query: 'user.name:alice', expected: ['g2'] },
  { query: 'event.outcome:failure', expected: ['g3'] },
  { query: 'event.action:watch', expected: ['g6'] },
  // numbers
  { query: 'kubernetes.audit.responseStatus.code:403', expected: ['g3'] },
  { query: 'kubernetes.audit.responseStatus.code >= 400', expected: ['g3', 'g8'] },
  { query: 'kubernetes.audit.responseStatus.code < 201', expected: ['g1', 'g4', 'g5', 'g6', 'g9'] },
  {
    query: 'kubernetes.audit.responseStatus.code > 200 and kubernetes.audit.responseStatus.code <= 403',
    expected: ['g2', 'g3'],
  },
  { query: 'kubernetes.audit.responseStatus.code:(201 or 500)', expected: ['g2', 'g8'] },
  { query: 'not kubernetes.audit.responseStatus.code:*', expected: ['g7'] },
  // text with a phrase
  { query: 'kubernetes.audit.responseStatus.message:forbidden', expected: ['g3'] },
  { query: 'kubernetes.audit.responseStatus.message:"cannot delete"', expected: ['g3'] },
  { query: 'kubernetes.audit.responseStatus.message:"delete cannot"', expected: [] },
  // booleans as typed literals
  { query: 'kubernetes.audit.requestObject.spec.hostNetwork:true', expected: ['g2'] },
  { query: 'kubernetes.audit.requestObject.spec.hostNetwork:false', expected: [] },
  {
    query: 'not kubernetes.audit.requestObject.spec.hostNetwork:true',
    expected: ['g1', 'g3', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9'],
  },
  { query: 'kubernetes.audit.requestObject.spec.hostPID:true', expected: ['g6'] },
  // arrays of objects (containers) are flattened: any element matches
  { query: 'kubernetes.audit.requestObject.spec.containers.image:nginx*', expected: ['g2'] },
  { query: 'kubernetes.audit.requestObject.spec.containers.image:busybox\\:latest', expected: ['g2'] },
  {
    query: 'kubernetes.audit.requestObject.spec.containers.image:(nginx\\:1.25 and busybox\\:latest)',
    expected: ['g2'],
  },
  { query: 'kubernetes.audit.requestObject.spec.containers.image:*pause*', expected: ['g6'] },
  {
    query: 'kubernetes.audit.requestObject.spec.containers.securityContext.privileged:true',
    expected: ['g2'],
  },
  { query: 'kubernetes.audit.requestObject.spec.containers.ima*:busybox*', expected: ['g2'] },
  // nested rules: both conditions on the same element
  { query: 'kubernetes.audit.requestObject.rules:{ verbs:get and resources:secrets }', expected: ['g4'] },
  { query: 'kubernetes.audit.requestObject.rules:{ verbs:get and resources:deployments }', expected: [] },
  { query: 'kubernetes.audit.requestObject.rules:{ verbs:\\* and resources:deployments }', expected: ['g4'] },
  { query: 'kubernetes.audit.requestObject.rules:{ verbs:* }', expected: ['g4'] },
  {
    query: 'not kubernetes.audit.requestObject.rules:{ verbs:* }',
    expected: ALL.filter((id) => id !== 'g4'),
  },
  { query: 'kubernetes.audit.requestObject.rules.verb*:list', expected: ['g4'] },
  // arrays of values
  { query: 'kubernetes.audit.user.groups:system\\:masters', expected: ['g4'] },
  { query: 'kubernetes.audit.user.groups:(system\\:masters or devs)', expected: ['g2', 'g4'] },
  {
    query:
      'kubernetes.audit.user.groups:system\\:* and not kubernetes.audit.user.groups:system\\:authenticated',
    expected: ['g8'],
  },
  // missing fields: a positive clause matches nothing, its negation everything
  { query: 'kubernetes.audit.impersonatedUser.username:*', expected: ['g6'] },
  { query: 'not kubernetes.audit.impersonatedUser.username:*', expected: ALL.filter((id) => id !== 'g6') },
  { query: 'kubernetes.audit.doesNotExist:x', expected: [] },
  { query: 'not kubernetes.audit.doesNotExist:x', expected: ALL },
  { query: 'kubernetes.audit.doesNotExist:*', expected: [] },
  { query: 'not kubernetes.audit.doesNotExist:*', expected: ALL },
  { query: 'kubernetes.audit.doesNotExist > 5', expected: [] },
  // in _source but not mapped (the integration's mapping is dynamic: false)
  { query: 'kubernetes.audit.requestObject.spec.dnsPolicy:ClusterFirst', expected: [] },
  { query: 'kubernetes.audit.user.username:*', expected: ['g1', 'g2', 'g3', 'g4', 'g5', 'g6', 'g7', 'g9'] },
  { query: 'not kubernetes.audit.user.username:*', expected: ['g8'] },
  // dotted keys versus objects
  { query: 'kubernetes.audit.objectRef.resource:secrets', expected: ['g1', 'g7'] },
  { query: 'kubernetes.audit.user.username:dotted\\:user', expected: ['g7'] },
  { query: 'kubernetes.audit.annotations.authorization_k8s_io/decision:forbid', expected: ['g3'] },
  {
    query: 'kubernetes.audit.annotations.authorization_k8s_io/decision:(allow or forbid)',
    expected: ALL.filter((id) => id !== 'g7'),
  },
  // wildcard field names expand over the mapped fields
  { query: 'kubernetes.audit.objectRef.*:secrets', expected: ['g1', 'g7'] },
  { query: 'kubernetes.audit.annotations.*:forbid', expected: ['g3'] },
  { query: '*.resource:clusterroles', expected: ['g4'] },
  { query: 'kubernetes.audit.*Ref.namespace:kube-system', expected: ['g1'] },
  // ip
  { query: 'source.ip:10.0.0.7', expected: ['g2'] },
  { query: 'source.ip:"10.0.0.0/8"', expected: ['g1', 'g2', 'g4', 'g5', 'g8', 'g9'] },
  { query: 'source.ip >= 192.168.0.0 and source.ip <= 192.168.255.255', expected: ['g2', 'g6'] },
  // dates, in UTC ("Zulu") as the detection engine sends them
  { query: '@timestamp >= "2024-05-01"', expected: ['g1', 'g2', 'g3'] },
  { query: '@timestamp < "2024-05-01T11:00:00"', expected: ['g1', 'g4', 'g5', 'g6', 'g7', 'g8', 'g9'] },
  { query: '@timestamp:"2024-05-01T10:00:00"', expected: ['g1'] },
  { query: '@timestamp:2024-05-02', expected: ['g3'] },
  { query: '@timestamp:1714557600000', expected: ['g1'] },
  { query: '@timestamp > now', expected: [] },
  { query: '@timestamp < now', expected: ALL },
  { query: 'kubernetes.audit.stageTimestamp >= "2024-05-01T11:30:00Z"', expected: ['g2', 'g3'] },
  // bare values search every field
  { query: 'curl', expected: ['g3'] },
  { query: '"Bob Smith"', expected: ['g3'] },
  { query: 'kube*', expected: ALL },
  { query: '*:*', expected: ALL },
  { query: '', expected: ALL },
  { query: '   ', expected: ALL },
  // lucene rules
  {
    query: 'kubernetes.audit.verb:get AND NOT kubernetes.audit.user.username:dotted\\:user',
    expected: ['g1', 'g9'],
    language: 'lucene',
  },
  { query: 'kubernetes.audit.userAgent:Kube*', expected: ['g1', 'g4', 'g6'], language: 'lucene' },
  { query: '', expected: ALL, language: 'lucene' },
];

const admin = adminClient();
const kdw = kdwClient();
const fieldCaps = new FieldCapsService(kdw);
let stream: AuditStream;

beforeAll(async () => {
  stream = await createAuditStream(admin);
  await stream.indexRaw(EVENTS);
  await stream.indexDocs([DOTTED]);
});

afterAll(async () => {
  await stream.remove();
  await closeClients();
});

describe('KQL on audit events (real Elasticsearch, kdw user, field types from _field_caps)', () => {
  it.each(CASES)('$language $query', async (testCase) => {
    const target = { index: stream.dataStream, idField: 'kubernetes.audit.auditID' };
    expect(await matchingIds(kdw, fieldCaps, target, testCase)).toEqual(testCase.expected);
  });

  it('refuses a nested field outside its group and an object used as a nested group, as Kibana', async () => {
    const fieldTypes = await fieldCaps.fieldTypes(stream.dataStream);
    const compile = (query: string): unknown => compileQuery({ language: 'kuery', query, fieldTypes });
    expect(() => compile('kubernetes.audit.requestObject.rules.verbs:get')).toThrow(KqlCompileError);
    expect(() => compile('kubernetes.audit.requestObject.spec.containers:{ image:nginx* }')).toThrow(
      'kubernetes.audit.requestObject.spec.containers.image is not a nested field but is in nested group "kubernetes.audit.requestObject.spec.containers" in the KQL expression.',
    );
  });
});

describe('what Elasticsearch rejects, as it rejects the same query from Kibana', () => {
  it('a wildcard field pattern that reaches boolean fields fails the search', async () => {
    const fieldTypes = await fieldCaps.fieldTypes(stream.dataStream);
    const query = compileQuery({
      language: 'kuery',
      query: 'kubernetes.audit.requestObject.spec.containers.*:busybox*',
      fieldTypes,
    });
    await expect(kdw.search({ index: stream.dataStream, query })).rejects.toMatchObject({ statusCode: 400 });
  });
});
