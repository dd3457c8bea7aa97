import type { Client } from '@elastic/elasticsearch';
import { installAuditLogsTemplate } from '../../src/es/setup';
import type { UserAgentMapping } from '../../src/es/templates/auditLogs';
import { transformAuditEvent, type JsonObject } from '../../src/audit/transform';
import { uniqueName } from './connection';

/**
 * An index of its own for one test, with the Kubernetes integration mapping: template `kdwtest-<id>` over
 * `logs-kubernetes.audit_logs-<id>` (priority above the integration's 200). A plain index, not a data
 * stream: this Elasticsearch build cannot delete data streams, and tests clean up after themselves.
 */
export interface AuditStream {
  readonly dataStream: string;
  readonly template: string;
  /** indexes documents (already in integration shape) and refreshes; throws on any bulk item error */
  indexDocs(docs: readonly JsonObject[]): Promise<void>;
  /** transforms raw apiserver events as the integration pipeline does, then indexes them */
  indexRaw(events: readonly JsonObject[], ingested?: Date): Promise<void>;
  remove(): Promise<void>;
}

export async function createAuditStream(
  admin: Client,
  options: { userAgent?: UserAgentMapping } = {},
): Promise<AuditStream> {
  const id = uniqueName('kdwtest');
  const dataStream = `logs-kubernetes.audit_logs-${id}`;
  const template = await installAuditLogsTemplate(admin, {
    name: id,
    indexPatterns: [dataStream],
    userAgent: options.userAgent ?? 'text',
    priority: 300,
    dataStream: false,
  });
  const indexDocs = async (docs: readonly JsonObject[]): Promise<void> => {
    if (docs.length === 0) return;
    const operations = docs.flatMap((doc) => [{ create: { _index: dataStream } }, doc]);
    const res = await admin.bulk({ operations, refresh: true });
    if (res.errors) {
      const first = res.items.find((i) => i.create?.error !== undefined)?.create?.error;
      throw new Error(`bulk into ${dataStream} failed: ${JSON.stringify(first)}`);
    }
  };
  return {
    dataStream,
    template,
    indexDocs,
    indexRaw: async (events, ingested = new Date()) => {
      const docs = events.map((event, i) => {
        const result = transformAuditEvent(event, { ingested, readTime: ingested, namespace: id });
        if (!result.ok) throw new Error(`fixture event ${i} is not an audit event: ${result.reason}`);
        return result.doc;
      });
      await indexDocs(docs);
    },
    remove: async () => {
      await admin.indices.delete({ index: dataStream }, { ignore: [404] });
      await admin.indices.deleteIndexTemplate({ name: template }, { ignore: [404] });
    },
  };
}

/** A raw apiserver audit event (audit.k8s.io/v1) with realistic defaults; override any field. */
export function rawAuditEvent(overrides: JsonObject = {}): JsonObject {
  const now = new Date().toISOString();
  return {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: 'Metadata',
    auditID: `${Math.random().toString(16).slice(2)}-audit`,
    stage: 'ResponseComplete',
    requestURI: '/api/v1/namespaces/default/pods',
    verb: 'list',
    user: {
      username: 'system:serviceaccount:default:builder',
      groups: ['system:serviceaccounts', 'system:authenticated'],
    },
    sourceIPs: ['10.0.0.12'],
    userAgent: 'kubectl/v1.30.1 (linux/amd64) kubernetes/6911225',
    objectRef: { resource: 'pods', namespace: 'default', apiVersion: 'v1' },
    responseStatus: { metadata: {}, code: 200 },
    requestReceivedTimestamp: now,
    stageTimestamp: now,
    annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
    ...overrides,
  };
}
