import type { Client } from '@elastic/elasticsearch';
import { toEsError } from './errors';
import { auditLogsIndexTemplate, type AuditLogsTemplateOptions } from './templates/auditLogs';

/**
 * Installs the Kubernetes audit-logs index template (the data kdw reads). On a real stack Elastic's
 * integration installs it; the lab and the tests call this instead. Needs a user that may manage templates.
 */
export async function installAuditLogsTemplate(
  client: Client,
  options: AuditLogsTemplateOptions & { name?: string } = {},
): Promise<string> {
  const request = auditLogsIndexTemplate(options);
  const name = options.name ?? request.name;
  try {
    await client.indices.putIndexTemplate({ ...request, name });
  } catch (err) {
    throw toEsError(err, `install index template ${name}`, { template: name });
  }
  return name;
}
