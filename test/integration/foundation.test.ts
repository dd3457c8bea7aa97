import { EsPrivilegeError } from '../../src/es/errors';
import { toEsError } from '../../src/es/errors';
import { adminClient, closeClients, kdwClient, testConnection, uniqueName } from '../helpers/connection';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../helpers/auditData';

const admin = adminClient();
const kdw = kdwClient();
let stream: AuditStream;

beforeAll(async () => {
  stream = await createAuditStream(admin);
  await stream.indexRaw([
    rawAuditEvent({
      auditID: 'a-list',
      verb: 'list',
      userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/6911225',
    }),
    rawAuditEvent({
      auditID: 'a-create',
      verb: 'create',
      userAgent: 'python-requests/2.31.0',
      objectRef: { resource: 'pods', namespace: 'kube-system' },
      requestObject: { kind: 'Pod', spec: { hostNetwork: true, serviceAccountName: 'node-controller' } },
    }),
    rawAuditEvent({
      auditID: 'a-get',
      verb: 'get',
      userAgent: 'curl/8.5.0',
      requestObject: { kind: 'Pod', spec: { hostNetwork: false } },
    }),
  ]);
});

afterAll(async () => {
  await stream.remove();
  await closeClients();
});

async function auditIDs(query: Record<string, unknown>): Promise<string[]> {
  const res = await kdw.search<{ kubernetes: { audit: { auditID: string } } }>({
    index: stream.dataStream,
    query,
    size: 100,
  });
  return res.hits.hits.map((h) => h._source?.kubernetes.audit.auditID ?? '?').sort();
}

describe('a real, secured Elasticsearch', () => {
  it('answers over HTTPS to the least-privilege kdw user', async () => {
    const conn = testConnection();
    expect(conn.kdw.url).toMatch(/^https:\/\//);
    const me = await kdw.security.authenticate();
    const nodes = await admin.nodes.info({ node_id: '_local', metric: 'version' } as never);
    const version = Object.values(nodes.nodes)[0]?.version;
    process.stdout.write(
      `[integration] Elasticsearch ${version} at ${conn.kdw.url} as user "${me.username}" (roles ${me.roles.join(',')})\n`,
    );
    expect(me.username).toBe('kdw');
    expect(me.roles).toEqual(['kdw_worker']);
    expect(version).toBe(conn.version);
  });

  it('finds audit events by a keyword, a text and a boolean field', async () => {
    expect(await auditIDs({ term: { 'kubernetes.audit.verb': 'create' } })).toEqual(['a-create']);
    expect(await auditIDs({ match: { 'kubernetes.audit.userAgent': 'kubectl' } })).toEqual(['a-list']);
    expect(await auditIDs({ term: { 'kubernetes.audit.requestObject.spec.hostNetwork': true } })).toEqual([
      'a-create',
    ]);
    expect(
      await auditIDs({ term: { 'kubernetes.audit.annotations.authorization_k8s_io/decision': 'allow' } }),
    ).toHaveLength(3);
    // the integration's ECS copies
    expect(await auditIDs({ term: { 'user_agent.original': 'curl/8.5.0' } })).toEqual(['a-get']);
    expect(await auditIDs({ term: { 'event.outcome': 'success' } })).toHaveLength(3);
  });

  it('maps userAgent as text (recent integration) and keeps undeclared request fields out of the index', async () => {
    const caps = await kdw.fieldCaps({
      index: stream.dataStream,
      fields: [
        'kubernetes.audit.userAgent',
        'kubernetes.audit.requestObject.spec.*',
        'kubernetes.audit.requestObject.kind',
      ],
    });
    expect(Object.keys(caps.fields['kubernetes.audit.userAgent'] ?? {})).toEqual(['text']);
    expect(
      caps.fields['kubernetes.audit.requestObject.spec.serviceAccountName']?.['keyword']?.aggregatable,
    ).toBe(true);
    expect(caps.fields['kubernetes.audit.requestObject.spec.dnsPolicy']).toBeUndefined();
  });

  it('does not let the kdw user write to logs-*', async () => {
    const attempt = kdw.index({
      index: stream.dataStream,
      document: { '@timestamp': new Date().toISOString() },
    });
    const err = await attempt.then(
      () => undefined,
      (e: unknown) => toEsError(e, 'index into logs-*', { index: stream.dataStream }),
    );
    expect(err).toBeInstanceOf(EsPrivilegeError);
    expect(err?.message).toMatch(/403 security_exception.*unauthorized.*kdw/);
    const privileges = await kdw.security.hasPrivileges({
      index: [
        {
          names: ['logs-kubernetes.audit_logs-default'],
          privileges: ['read', 'write', 'create_doc', 'delete_index'],
        },
      ],
    });
    expect(privileges.index['logs-kubernetes.audit_logs-default']).toEqual({
      read: true,
      write: false,
      create_doc: false,
      delete_index: false,
    });
  });

  it('lets the kdw user write its own kdw-* indices and nothing else', async () => {
    const own = uniqueName('kdw-foundation-');
    const other = uniqueName('other-');
    try {
      await kdw.index({ index: own, document: { ok: true }, refresh: true });
      expect((await kdw.count({ index: own })).count).toBe(1);
      await admin.indices.create({ index: other, settings: { number_of_replicas: 0 } });
      await expect(kdw.search({ index: other })).rejects.toMatchObject({ statusCode: 403 });
    } finally {
      await admin.indices.delete({ index: [own, other] }, { ignore: [404] });
    }
  });
});
