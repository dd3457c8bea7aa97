// docker compose `setup` service: the one-shot configuration of the lab's Elasticsearch and Kibana.
// Runs in kdw's own image (node, the compiled dist/ and kibana/), as the elastic superuser, and uses kdw's
// code for the index templates, so the lab gets exactly what the worker and the tests install:
//   1. waits for Elasticsearch;
//   2. sets the password of kibana_system (Kibana's own user);
//   3. creates the role kdw_worker (docker/kdw_worker-role.json, the privileges of
//      config/elasticsearch/roles.yml) and the user kdw with that role;
//   4. installs the Kubernetes audit-logs index template (data stream logs-kubernetes.audit_logs-*) and
//      kdw's alerts and execution-record templates and indices (so the data views have fields at once);
//   5. waits for Kibana and imports kibana/saved_objects.ndjson (data views, saved search, visualizations,
//      dashboard), overwriting earlier versions.
// Every step is idempotent: `docker compose up` runs it again on each start.
//
// Environment: ES_URL, ES_CA_CERT, ELASTIC_PASSWORD, KIBANA_SYSTEM_PASSWORD, KDW_PASSWORD, KIBANA_URL,
// optional ES_ADMIN_USERNAME (the superuser whose password ELASTIC_PASSWORD is; default elastic), KDW_USERNAME
// (default kdw), SETUP_TIMEOUT_SECONDS (default 600, per wait).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import esClient from '../dist/src/es/client.js';
import esConnection from '../dist/src/es/connection.js';
import esSetup from '../dist/src/es/setup.js';
import alertsInstall from '../dist/src/alerts/install.js';

const here = dirname(fileURLToPath(import.meta.url));
const ROLE = 'kdw_worker';
const SAVED_OBJECTS = join(here, '..', 'kibana', 'saved_objects.ndjson');

function log(message) {
  process.stdout.write(`setup: ${message}\n`);
}

function required(name) {
  const value = process.env[name];
  if (value === undefined || value === '') throw new Error(`${name} is not set (see .env.example)`);
  return value;
}

function passwordOf(name) {
  const value = required(name);
  // Elasticsearch's minimum for native users
  if (value.length < 6) throw new Error(`${name} must have at least 6 characters`);
  return value;
}

const admin = () => process.env.ES_ADMIN_USERNAME || 'elastic';

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Retries `attempt` every 3 s until it returns true or the timeout passes. */
async function waitFor(what, attempt) {
  const timeoutMs = Number(process.env.SETUP_TIMEOUT_SECONDS ?? '600') * 1000;
  const deadline = Date.now() + timeoutMs;
  let last = '';
  log(`waiting for ${what}`);
  while (Date.now() < deadline) {
    try {
      if (await attempt()) return;
    } catch (err) {
      last = err instanceof Error ? err.message : String(err);
    }
    await sleep(3000);
  }
  throw new Error(`${what} not ready after ${timeoutMs / 1000} s${last === '' ? '' : `: ${last}`}`);
}

async function configureElasticsearch() {
  const settings = esConnection.connectionFromEnv({
    ES_URL: required('ES_URL'),
    ES_USERNAME: admin(),
    ES_PASSWORD: passwordOf('ELASTIC_PASSWORD'),
    ES_CA_CERT: process.env.ES_CA_CERT ?? '',
  });
  const client = esClient.createEsClient(settings);
  try {
    await waitFor(`Elasticsearch at ${settings.url}`, async () => {
      const health = await client.cluster.health({ wait_for_status: 'yellow', timeout: '5s' });
      return health.status === 'green' || health.status === 'yellow';
    });

    await client.security.changePassword({
      username: 'kibana_system',
      password: passwordOf('KIBANA_SYSTEM_PASSWORD'),
    });
    log('password of kibana_system set');

    const { metadata, ...privileges } = JSON.parse(readFileSync(join(here, 'kdw_worker-role.json'), 'utf8'));
    await client.security.putRole({ name: ROLE, ...privileges, metadata });
    const username = process.env.KDW_USERNAME || 'kdw';
    await client.security.putUser({
      username,
      password: passwordOf('KDW_PASSWORD'),
      roles: [ROLE],
      full_name: 'kdw detection worker',
      metadata: { managed_by: 'kdw' },
    });
    log(`role ${ROLE} and user ${username} ready`);

    const audit = await esSetup.installAuditLogsTemplate(client, { replicas: 0 });
    log(`index template ${audit} installed (data stream logs-kubernetes.audit_logs-*)`);
    const kdw = await alertsInstall.installKdwTemplates(client, { replicas: 0 });
    log(`index templates and indices ${kdw.alerts.index} and ${kdw.executions.index} ready`);
  } finally {
    await client.close();
  }
}

async function importSavedObjects() {
  const url = required('KIBANA_URL').replace(/\/+$/, '');
  const authorization = `Basic ${Buffer.from(`${admin()}:${passwordOf('ELASTIC_PASSWORD')}`).toString('base64')}`;
  await waitFor(`Kibana at ${url}`, async () => {
    const res = await fetch(`${url}/api/status`, { headers: { authorization } });
    if (!res.ok) throw new Error(`GET /api/status answered ${res.status}`);
    const body = await res.json();
    const level = body?.status?.overall?.level;
    if (level !== 'available') throw new Error(`Kibana is ${level ?? 'starting'}`);
    return true;
  });
  const form = new FormData();
  form.append(
    'file',
    new Blob([readFileSync(SAVED_OBJECTS)], { type: 'application/ndjson' }),
    'saved_objects.ndjson',
  );
  const res = await fetch(`${url}/api/saved_objects/_import?overwrite=true`, {
    method: 'POST',
    headers: { authorization, 'kbn-xsrf': 'kdw-setup' },
    body: form,
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok || body.success !== true) {
    throw new Error(
      `importing the Kibana saved objects failed (HTTP ${res.status}): ${JSON.stringify(body.errors ?? body)}`,
    );
  }
  log(`${body.successCount} Kibana saved objects imported (dashboard "kdw: Kubernetes detections")`);
}

try {
  await configureElasticsearch();
  await importSavedObjects();
  log('done');
} catch (err) {
  process.stderr.write(`setup: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
}
