import type { Client } from '@elastic/elasticsearch';
import { EsPrivilegeError, toEsError } from '../es/errors';
import { installAuditLogsTemplate } from '../es/setup';
import { AUDIT_LOGS_TEMPLATE_NAME } from '../es/templates/auditLogs';

export const AUDIT_DATA_STREAM_PREFIX = 'logs-kubernetes.audit_logs-';

/** The data stream of a namespace, as the integration names it. */
export function auditDataStream(namespace: string): string {
  return `${AUDIT_DATA_STREAM_PREFIX}${namespace}`;
}

/** The namespace part of logs-kubernetes.audit_logs-<namespace>, if `index` has that shape. */
export function namespaceOf(index: string): string | undefined {
  return index.startsWith(AUDIT_DATA_STREAM_PREFIX) && index.length > AUDIT_DATA_STREAM_PREFIX.length
    ? index.slice(AUDIT_DATA_STREAM_PREFIX.length)
    : undefined;
}

function hasAuditMapping(mappings: unknown): boolean {
  const get = (value: unknown, key: string): unknown =>
    typeof value === 'object' && value !== null && key in value
      ? (value as Record<string, unknown>)[key]
      : undefined;
  return (
    get(get(get(get(get(mappings, 'properties'), 'kubernetes'), 'properties'), 'audit'), 'properties') !==
    undefined
  );
}

/**
 * Makes sure documents written to `index` get the integration's mapping. An existing index or data stream is
 * left alone. For a new one, when no index template gives it `kubernetes.audit.*` mappings (no integration
 * installed, as in the lab), kdw's copy of the integration template is installed if the name is
 * logs-kubernetes.audit_logs-*; otherwise a warning says that Elasticsearch will map fields dynamically.
 * Returns what it did, for the user.
 */
export async function ensureAuditTarget(client: Client, index: string): Promise<string | undefined> {
  try {
    if (await client.indices.exists({ index })) return undefined;
    const simulated = await client.indices.simulateIndexTemplate({ name: index });
    if (hasAuditMapping(simulated.template?.mappings)) return undefined;
    if (namespaceOf(index) === undefined) {
      return `warning: no index template maps kubernetes.audit.* for ${index}: Elasticsearch will map the fields dynamically`;
    }
    await installAuditLogsTemplate(client);
    return `installed index template ${AUDIT_LOGS_TEMPLATE_NAME} (the Kubernetes integration's audit_logs mapping) for ${index}`;
  } catch (err) {
    const e = toEsError(err, `prepare ${index}`, { index });
    // an ingest-only user may write but not look at templates: write anyway, and say what was not checked
    if (e instanceof EsPrivilegeError)
      return `warning: could not check the index template of ${index} (${e.message}); writing anyway`;
    throw e;
  }
}
