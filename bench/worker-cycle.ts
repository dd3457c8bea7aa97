/**
 * Benchmark of one worker cycle (issue 8, item 9): N query rules and M new_terms rules on one `kdw run`
 * process against the local Elasticsearch, every rule run once (interval 1h, so the first tick is the cycle).
 *
 *   npx tsx bench/worker-cycle.ts [--query 1000] [--new-terms 100] [--concurrency 8] [--events 20000]
 *
 * Loads audit events (as admin) into a plain index with the integration mapping, spread over the last 5
 * minutes, writes the rule files and a config to a temporary directory, spawns the worker (node + tsx, as kdw's
 * own user), and measures: the cycle (first run start to last run end, from the execution records), the worker's
 * CPU time and peak RSS (/proc, whole process including start-up), and the sum of Elasticsearch `took`. The
 * events lie in the 5 minutes before the start, inside every rule's first window ([now-6m, now]). Writes
 * bench/results/worker-cycle.md and deletes every index it made.
 */
import { spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { transformAuditEvent } from '../src/audit/transform';
import { createEsClient } from '../src/es/client';
import { readConnectionFile } from '../src/es/connection';
import { installAuditLogsTemplate } from '../src/es/setup';

const ROOT = join(__dirname, '..');
const ID = `kdwbenchcycle${Date.now().toString(36)}`;
const DATA_INDEX = `logs-kubernetes.audit_logs-${ID}`;
const NAMES = {
  alerts: `kdw-alerts-${ID}`,
  executions: `kdw-executions-${ID}`,
  checkpoints: `kdw-checkpoints-${ID}`,
  leases: `kdw-leases-${ID}`,
};
const VERBS = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete'];
const RESOURCES = Array.from({ length: 20 }, (_, i) => `resource${i}`);
const NAMESPACES = Array.from({ length: 10 }, (_, i) => `ns${i}`);

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const value = i === -1 ? undefined : Number(process.argv[i + 1]);
  return value === undefined || Number.isNaN(value) ? fallback : value;
}

const pick = <T>(list: readonly T[], n: number): T => list[n % list.length] as T;

async function loadEvents(admin: Client, count: number): Promise<void> {
  await installAuditLogsTemplate(admin, {
    name: ID,
    indexPatterns: [DATA_INDEX],
    userAgent: 'text',
    priority: 300,
    dataStream: false,
    replicas: 0,
  });
  // a rule's first run is at the worker's start, over [now-6m, now]: the events lie in the 5 minutes before
  const tick = Date.now();
  for (let start = 0; start < count; start += 5000) {
    const operations = Array.from({ length: Math.min(5000, count - start) }, (_, k) => {
      const n = start + k;
      const at = new Date(tick - 300_000 + Math.floor((n / count) * 280_000));
      const raw = {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: `bench-${n}`,
        stage: 'ResponseComplete',
        requestURI: `/api/v1/namespaces/${pick(NAMESPACES, n >> 3)}/${pick(RESOURCES, n >> 1)}`,
        verb: pick(VERBS, n),
        user: { username: `user${n % 200}`, groups: ['system:authenticated'] },
        sourceIPs: [`10.0.${n % 250}.${n % 199}`],
        userAgent: `agent-${n % 50}/1.0`,
        objectRef: {
          resource: pick(RESOURCES, n >> 1),
          namespace: pick(NAMESPACES, n >> 3),
          apiVersion: 'v1',
        },
        responseStatus: { metadata: {}, code: 200 },
        requestReceivedTimestamp: at.toISOString(),
        stageTimestamp: at.toISOString(),
        annotations: { 'authorization.k8s.io/decision': 'allow', 'authorization.k8s.io/reason': '' },
      };
      const result = transformAuditEvent(raw, { ingested: new Date(at.getTime() + 1000), readTime: at });
      if (!result.ok) throw new Error(result.reason);
      return [{ create: { _index: DATA_INDEX } }, result.doc];
    }).flat();
    const res = await admin.bulk({ operations });
    if (res.errors) throw new Error(`bulk failed: ${JSON.stringify(res.items.find((i) => i.create?.error))}`);
  }
  await admin.indices.refresh({ index: DATA_INDEX });
}

function header(ruleId: string, name: string, type: string, query: string): string {
  return `[metadata]
creation_date = "2026/11/23"
maturity = "production"
updated_date = "2026/11/23"

[rule]
author = ["kdw bench"]
description = "bench"
from = "now-6m"
index = ["${DATA_INDEX}"]
interval = "1h"
language = "kuery"
license = "Apache-2.0"
name = "${name}"
risk_score = 21
rule_id = "${ruleId}"
severity = "low"
timestamp_override = "event.ingested"
type = "${type}"
query = '''
${query}
'''
`;
}

function writeRules(dir: string, queries: number, newTerms: number): void {
  for (let i = 0; i < queries; i++) {
    const query = `kubernetes.audit.verb: "${pick(VERBS, i)}" and kubernetes.audit.objectRef.resource: "${pick(RESOURCES, Math.floor(i / 7))}" and kubernetes.audit.objectRef.namespace: "${pick(NAMESPACES, Math.floor(i / 140))}"`;
    writeFileSync(join(dir, `query_${i}.toml`), header(randomUUID(), `bench query ${i}`, 'query', query));
  }
  for (let i = 0; i < newTerms; i++) {
    const query = `kubernetes.audit.verb: "${pick(VERBS, i)}" and kubernetes.audit.objectRef.resource: "${pick(RESOURCES, Math.floor(i / 7))}"`;
    const field = i % 2 === 0 ? 'kubernetes.audit.user.username' : 'user_agent.original';
    writeFileSync(
      join(dir, `new_terms_${i}.toml`),
      header(randomUUID(), `bench new terms ${i}`, 'new_terms', query) +
        `\n[rule.new_terms]\nfield = "new_terms_fields"\nvalue = ["${field}"]\n\n` +
        `[[rule.new_terms.history_window_start]]\nfield = "history_window_start"\nvalue = "now-7d"\n`,
    );
  }
}

interface Rec {
  rule: { type: string };
  status: string;
  run: { started_at: string; ended_at: string };
  durations: { es_took_ms: number; total_ms: number };
  counts: { alerts_created: number; hits: number };
}

async function records(admin: Client): Promise<Rec[]> {
  await admin.indices.refresh({ index: NAMES.executions });
  const res = await admin.search<Rec>({ index: NAMES.executions, size: 10_000 });
  return res.hits.hits.flatMap((h) => (h._source === undefined ? [] : [h._source]));
}

function procStats(pid: number): { cpuS: number; peakRssMb: number } {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const hwm = Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return { cpuS: ticks / 100, peakRssMb: Math.round(hwm / 1024) };
}

async function main(): Promise<void> {
  const queries = arg('query', 1000);
  const newTerms = arg('new-terms', 100);
  const concurrency = arg('concurrency', 8);
  const events = arg('events', 20_000);
  const connection = readConnectionFile(join(ROOT, '.kdw', 'connection.env'));
  const admin = createEsClient(connection.admin);
  const dir = mkdtempSync(join(tmpdir(), 'kdw-bench-cycle-'));
  const rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  try {
    await loadEvents(admin, events);
    writeRules(rulesDir, queries, newTerms);
    const config = join(dir, 'kdw.toml');
    writeFileSync(
      config,
      `alerts_index = "${NAMES.alerts}"\nexecutions_index = "${NAMES.executions}"\ncheckpoints_index = "${NAMES.checkpoints}"\n` +
        `leases_index = "${NAMES.leases}"\nconcurrency = ${concurrency}\n[rules]\npaths = ["${rulesDir}"]\nreload_interval = "0s"\n` +
        `[http]\nport = 0\n[log]\nlevel = "warn"\n`,
    );
    const kdw = connection.kdw;
    const auth = kdw.auth !== undefined && 'username' in kdw.auth ? kdw.auth : undefined;
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'run', '--config', config], {
      cwd: ROOT,
      env: {
        PATH: process.env['PATH'],
        ES_URL: kdw.url,
        ES_CA_CERT: kdw.caCertPath ?? '',
        ES_USERNAME: auth?.username ?? '',
        ES_PASSWORD: auth?.password ?? '',
      },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const total = queries + newTerms;
    const deadline = Date.now() + 15 * 60_000;
    let done: Rec[] = [];
    while (Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 2000));
      if (child.exitCode !== null) throw new Error(`the worker exited with ${child.exitCode}`);
      try {
        done = await records(admin);
      } catch {
        continue; // executions index not created yet
      }
      if (done.length >= total) break;
    }
    const usage = procStats(child.pid ?? 0);
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    const start = Math.min(...done.map((r) => Date.parse(r.run.started_at)));
    const end = Math.max(...done.map((r) => Date.parse(r.run.ended_at)));
    const sum = (f: (r: Rec) => number, type?: string): number =>
      done.filter((r) => type === undefined || r.rule.type === type).reduce((n, r) => n + f(r), 0);
    const byType = (type: string): string =>
      `${done.filter((r) => r.rule.type === type).length} runs, ${sum((r) => r.counts.hits, type)} hits, ` +
      `${sum((r) => r.counts.alerts_created, type)} alerts, ES took ${(sum((r) => r.durations.es_took_ms, type) / 1000).toFixed(1)} s`;
    const statuses = Object.entries(
      done.reduce<Record<string, number>>((acc, r) => ({ ...acc, [r.status]: (acc[r.status] ?? 0) + 1 }), {}),
    )
      .map(([s, n]) => `${s}: ${n}`)
      .join(', ');
    const report = [
      '# Worker cycle benchmark',
      '',
      `Command: \`npx tsx bench/worker-cycle.ts --query ${queries} --new-terms ${newTerms} --concurrency ${concurrency} --events ${events}\``,
      '',
      `Run ${new Date().toISOString()} on ${cpus().length} CPUs (${cpus()[0]?.model ?? '?'}), ${Math.round(totalmem() / 2 ** 30)} GB, ` +
        `load average ${loadavg()
          .map((l) => l.toFixed(1))
          .join(' ')}; Elasticsearch 8.19.21 (1 GB heap) on the same machine, shared with other work.`,
      '',
      '| figure | value |',
      '| --- | --- |',
      `| rules | ${queries} query + ${newTerms} new_terms, each run once (one cycle), concurrency ${concurrency} |`,
      `| data | ${events} audit events in the 5 minutes before the run |`,
      `| cycle (first run start to last run end) | ${((end - start) / 1000).toFixed(1)} s |`,
      `| runs recorded | ${done.length} of ${total} (${statuses}) |`,
      `| query rules | ${byType('query')} |`,
      `| new_terms rules | ${byType('new_terms')} |`,
      `| sum of Elasticsearch took | ${(sum((r) => r.durations.es_took_ms) / 1000).toFixed(1)} s |`,
      `| worker CPU (user+sys, whole process incl. start-up and tsx) | ${usage.cpuS.toFixed(1)} s |`,
      `| worker peak RSS | ${usage.peakRssMb} MB |`,
      '',
      'Targets of issue 8: a cycle of 1,000 query rules within 30 s, worker RSS at most 200 MB.',
      '',
    ].join('\n');
    mkdirSync(join(ROOT, 'bench', 'results'), { recursive: true });
    writeFileSync(join(ROOT, 'bench', 'results', 'worker-cycle.md'), report);
    process.stdout.write(report);
  } finally {
    await admin.indices.delete({ index: [DATA_INDEX, ...Object.values(NAMES)] }, { ignore: [404] });
    await admin.indices.deleteIndexTemplate(
      { name: `${ID},${NAMES.alerts},${NAMES.executions}` },
      { ignore: [404] },
    );
    await admin.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exitCode = 1;
});
