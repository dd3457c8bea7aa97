import { join } from 'node:path';
import { createEsClient } from '../src/es/client';
import { readConnectionFile } from '../src/es/connection';
import { installAuditLogsTemplate } from '../src/es/setup';

/**
 * The local lab. Today: the secured Elasticsearch is up (scripts/elasticsearch.sh) and the Kubernetes
 * audit-logs template is installed; the worker, the traffic generator and the live alerts come with the
 * worker and lab issues.
 */
async function main(): Promise<void> {
  const conn = readConnectionFile(join(__dirname, '..', '.kdw', 'connection.env'));
  const admin = createEsClient(conn.admin);
  try {
    const template = await installAuditLogsTemplate(admin);
    process.stdout.write(
      [
        `kdw lab: Elasticsearch ${conn.version} at ${conn.kdw.url} (${conn.mode})`,
        `  CA certificate: ${conn.kdw.caCertPath ?? '(system)'}`,
        `  kdw connects as "${conn.kdw.auth !== undefined && 'username' in conn.kdw.auth ? conn.kdw.auth.username : '?'}" (role kdw_worker); credentials in .kdw/connection.env`,
        `  index template "${template}" installed for logs-kubernetes.audit_logs-*`,
        '',
        'Next: npm test runs the unit and integration tests against this node;',
        '      npm run es -- stop stops it.',
        '',
      ].join('\n'),
    );
  } finally {
    await admin.close();
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`kdw lab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
