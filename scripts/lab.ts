import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { createBulkSink } from '../src/audit/bulkSink';
import { replay, type ReplaySummary } from '../src/audit/replay';
import { auditDataStream } from '../src/audit/target';
import { createEsClient } from '../src/es/client';
import { readConnectionFile, type EsConnectionSettings } from '../src/es/connection';
import { installAuditLogsTemplate } from '../src/es/setup';
import { DEFAULT_SEED, generateBaseline, generateScenarios } from '../src/lab/generator';
import { SCENARIOS } from '../src/lab/scenarios';
import { DEFAULT_ALERTS_INDEX } from '../src/alerts/template';

/**
 * `npm run lab`: a local Elasticsearch (already started by scripts/lab.sh), 7 days of ordinary Kubernetes
 * audit traffic as history, the worker (`kdw run`), then the attack scenarios and near misses replayed live;
 * every alert is printed as it appears with one line on why it fired. Runs until Ctrl-C.
 *
 * The lab owns one data stream, logs-kubernetes.audit_logs-lab, and empties it at each start (rollover, then
 * the old backing indices are deleted: this Elasticsearch build cannot delete a data stream), so the
 * scenarios' user agents are new again and every run shows the same detections.
 */
const REPO = join(__dirname, '..');
const NAMESPACE = 'lab';
const METRICS_PORT = Number(process.env['KDW_HTTP_PORT'] ?? 9464);
const ALERTS_INDEX = process.env['KDW_ALERTS_INDEX'] ?? DEFAULT_ALERTS_INDEX;
const DEADLINE_MS = 2 * 60_000;
/**
 * Requests per second of the lab's history. A thin week behaves like a full one for the seed rules (the
 * denials that make the baseline's user agents "seen" come on a schedule whatever the rate) and loads in
 * seconds rather than minutes on a small machine.
 */
const HISTORY_RATE = 0.02;

const say = (text: string): void => void process.stdout.write(`${text}\n`);

async function resetLabData(admin: Client, dataStream: string): Promise<void> {
  const exists = await admin.indices.exists({ index: dataStream });
  if (!exists) return;
  await admin.indices.rollover({ alias: dataStream });
  const backing = await admin.cat.indices({
    index: `.ds-${dataStream}-*`,
    h: 'index',
    format: 'json',
    expand_wildcards: 'all',
  });
  const names = backing
    .map((b) => b.index ?? '')
    .filter((n) => n !== '')
    .sort();
  const old = names.slice(0, -1); // the newest is the write index
  if (old.length > 0) await admin.indices.delete({ index: old });
}

async function* jsonLines(events: Iterable<object>): AsyncGenerator<string> {
  let chunk: string[] = [];
  for (const event of events) {
    chunk.push(JSON.stringify(event));
    if (chunk.length === 1000) {
      yield `${chunk.join('\n')}\n`;
      chunk = [];
    }
  }
  if (chunk.length > 0) yield `${chunk.join('\n')}\n`;
}

async function load(
  admin: Client,
  events: Iterable<object>,
  ingested: 'now' | 'event',
  now: boolean,
): Promise<ReplaySummary> {
  const sink = createBulkSink(admin, {
    index: auditDataStream(NAMESPACE),
    stampIngested: ingested === 'now',
  });
  return replay(jsonLines(events), sink, { namespace: NAMESPACE, ingested, now });
}

function startWorker(kdw: EsConnectionSettings): ChildProcess {
  const logDir = join(REPO, '.kdw');
  mkdirSync(logDir, { recursive: true });
  const log = createWriteStream(join(logDir, 'lab-worker.log'), { flags: 'a' });
  const auth = kdw.auth !== undefined && 'username' in kdw.auth ? kdw.auth : undefined;
  const child = spawn(
    process.execPath,
    [join(REPO, 'node_modules', 'tsx', 'dist', 'cli.mjs'), join(REPO, 'src', 'cli', 'main.ts'), 'run'],
    {
      cwd: REPO,
      env: {
        ...process.env,
        ES_URL: kdw.url,
        ES_USERNAME: auth?.username ?? '',
        ES_PASSWORD: auth?.password ?? '',
        ES_CA_CERT: kdw.caCertPath ?? '',
        KDW_HTTP_PORT: String(METRICS_PORT),
        KDW_ALERTS_INDEX: ALERTS_INDEX,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  return child;
}

interface AlertDoc {
  '@timestamp'?: string;
  'kibana.alert.rule.name'?: string;
  'kibana.alert.rule.rule_id'?: string;
  'kibana.alert.severity'?: string;
  'kibana.alert.reason'?: string;
  'kibana.alert.new_terms'?: unknown[];
  'kibana.alert.rule.parameters'?: { new_terms_fields?: string[] };
  kubernetes?: {
    audit?: {
      verb?: string;
      requestURI?: string;
      user?: { username?: string };
      objectRef?: { namespace?: string };
      requestObject?: { spec?: { serviceAccountName?: string } };
      annotations?: Record<string, string>;
    };
  };
}

/** One line on why an alert fired, from the fields its rule looks at. */
function why(a: AlertDoc): string {
  const audit = a.kubernetes?.audit;
  const who = audit?.user?.username ?? 'an unauthenticated caller';
  if (a['kibana.alert.new_terms'] !== undefined) {
    const fields = a['kibana.alert.rule.parameters']?.new_terms_fields?.join(', ') ?? 'the new_terms fields';
    return `${fields} = ${JSON.stringify(a['kibana.alert.new_terms'])} not seen in the last 7 days (${who}, ${audit?.verb ?? '?'} ${audit?.requestURI ?? ''}, denied)`;
  }
  const sa = audit?.requestObject?.spec?.serviceAccountName;
  if (sa !== undefined)
    return `${who} ${audit?.verb ?? '?'} a pod in ${audit?.objectRef?.namespace ?? '?'} with service account ${sa}`;
  return `${who} ${audit?.verb ?? '?'} ${audit?.requestURI ?? ''} was allowed`;
}

async function main(): Promise<void> {
  const conn = readConnectionFile(join(REPO, '.kdw', 'connection.env'));
  const admin = createEsClient(conn.admin);
  const kdw = createEsClient(conn.kdw);
  const started = Date.now();
  say(
    `kdw lab: Elasticsearch ${conn.version} at ${conn.kdw.url} (${conn.mode}); kdw connects as its least-privilege user`,
  );

  await installAuditLogsTemplate(admin);
  const dataStream = auditDataStream(NAMESPACE);
  await resetLabData(admin, dataStream);
  say(`[1/4] index template for logs-kubernetes.audit_logs-* installed; ${dataStream} emptied`);

  const baselineStart = Date.now();
  const baseline = await load(
    admin,
    generateBaseline({
      fromMs: started - 7 * 86_400_000,
      toMs: started - 10 * 60_000,
      ratePerSecond: HISTORY_RATE,
      seed: DEFAULT_SEED,
    }),
    'event',
    false,
  );
  say(
    `[2/4] 7 days of ordinary cluster traffic loaded as history: ${baseline.indexed.toLocaleString('en')} events ` +
      `in ${((Date.now() - baselineStart) / 1000).toFixed(1)} s`,
  );

  const scenarios = generateScenarios(Date.now());
  const live = await load(
    admin,
    scenarios.map((s) => s.event),
    'now',
    true,
  );
  const expected = SCENARIOS.filter((s) => s.expect === 'alert');
  say(
    `[3/4] ${live.indexed} live events replayed (event.ingested = now): ${expected.length} attack scenarios and ${SCENARIOS.length - expected.length} near misses`,
  );
  const worker = startWorker(conn.kdw);
  let stopping = false;
  const workerExit = new Promise<number>((resolve) => worker.on('exit', (code) => resolve(code ?? 0)));
  void workerExit.then((code) => {
    if (!stopping) {
      say(`the worker exited (code ${code}); see .kdw/lab-worker.log`);
      process.exit(1);
    }
  });
  say(
    `[4/4] worker started (kdw run; logs in .kdw/lab-worker.log, metrics at http://127.0.0.1:${METRICS_PORT}/metrics)`,
  );

  say('waiting for alerts (every rule runs at once, then every 5 minutes)...\n');

  const seen = new Set<string>();
  const byRule = new Map<string, number>();
  const names = new Map<string, string>();
  let reported = false;
  const poll = async (): Promise<void> => {
    const res = await kdw.search<AlertDoc>({
      index: ALERTS_INDEX,
      ignore_unavailable: true,
      size: 200,
      sort: [{ '@timestamp': 'asc' }],
      query: { range: { '@timestamp': { gte: new Date(started).toISOString() } } },
    });
    for (const hit of res.hits.hits) {
      const a = hit._source;
      if (a === undefined || seen.has(hit._id ?? '')) continue;
      seen.add(hit._id ?? '');
      const rule = a['kibana.alert.rule.rule_id'] ?? '?';
      byRule.set(rule, (byRule.get(rule) ?? 0) + 1);
      names.set(rule, a['kibana.alert.rule.name'] ?? rule);
      say(
        `ALERT ${new Date(a['@timestamp'] ?? Date.now()).toLocaleTimeString('en-GB')} ${(a['kibana.alert.severity'] ?? '').padEnd(8)} ${a['kibana.alert.rule.name'] ?? ''}`,
      );
      say(`      why: ${why(a)}`);
    }
    const rulesExpected = new Set(expected.map((s) => s.ruleId));
    const allSeen = [...rulesExpected].every((r) => (byRule.get(r) ?? 0) > 0);
    if (!reported && (allSeen || Date.now() - started > DEADLINE_MS)) {
      reported = true;
      const counts = [...rulesExpected].map((r) => {
        const want = expected.filter((s) => s.ruleId === r).length;
        return `${names.get(r) ?? r}: ${byRule.get(r) ?? 0} alert(s) for ${want} attack scenario(s)`;
      });
      const exact = [...rulesExpected].every(
        (r) => byRule.get(r) === expected.filter((s) => s.ruleId === r).length,
      );
      say(
        `\n${allSeen ? 'every seed rule fired' : 'not every seed rule has fired yet'}:\n  ${counts.join('\n  ')}`,
      );
      say(
        exact && seen.size === expected.length
          ? `  one alert per attack scenario, none from the ${SCENARIOS.length - expected.length} near misses`
          : `  ${seen.size} alerts in total for ${expected.length} attack scenarios: check the alerts above`,
      );
      say(
        [
          'Look next:',
          `  the alerts:            npm run kdw -- run-once --json (or search ${ALERTS_INDEX} as user kdw, .kdw/connection.env)`,
          `  rule health:           kdw-executions-default (one record per run), metrics http://127.0.0.1:${METRICS_PORT}/metrics`,
          '  Kibana:                docker compose up (see README: With Docker)',
          'The worker keeps running on schedule; Ctrl-C stops it cleanly.',
        ].join('\n'),
      );
    }
  };
  const timer = setInterval(() => void poll().catch((err: unknown) => say(`lab: ${String(err)}`)), 3000);

  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    clearInterval(timer);
    say('\nstopping the worker...');
    worker.kill('SIGTERM');
    const code = await workerExit;
    await Promise.allSettled([admin.close(), kdw.close()]);
    say(`worker stopped (exit code ${code}). Elasticsearch keeps running: npm run es -- stop`);
    process.exit(code === 0 ? 0 : 1);
  };
  process.once('SIGINT', () => void stop());
  process.once('SIGTERM', () => void stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`kdw lab: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exitCode = 1;
});
