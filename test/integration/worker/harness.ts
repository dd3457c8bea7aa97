import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { REPO_ROOT, testConnection, uniqueName } from '../../helpers/connection';

/** A query rule file: matches audit events whose auditID starts with `prefix`. */
export function queryRuleToml(o: {
  ruleId: string;
  name: string;
  index: string;
  prefix: string;
  interval?: string;
  from?: string;
  maxSignals?: number;
}): string {
  return `[metadata]
creation_date = "2026/11/23"
maturity = "production"
updated_date = "2026/11/23"

[rule]
author = ["kdw tests"]
description = "Fault-test rule ${o.name}."
from = "${o.from ?? 'now-10s'}"
index = ["${o.index}"]
interval = "${o.interval ?? '5s'}"
language = "kuery"
license = "Apache-2.0"
max_signals = ${o.maxSignals ?? 1000}
name = "${o.name}"
risk_score = 21
rule_id = "${o.ruleId}"
severity = "low"
timestamp_override = "event.ingested"
type = "query"
query = '''
kubernetes.audit.auditID: ${o.prefix}*
'''
`;
}

/** The indices and files of one worker test: its own kdw-* names, a rules dir and a config file. */
export interface WorkerEnv {
  readonly id: string;
  readonly dir: string;
  readonly rulesDir: string;
  readonly alertsIndex: string;
  readonly executionsIndex: string;
  readonly checkpointsIndex: string;
  readonly leasesIndex: string;
  /** writes a config file (keys beyond the indices and rules as TOML lines) and returns its path */
  config(name: string, extra?: string): string;
  remove(admin: Client): Promise<void>;
}

export function createWorkerEnv(): WorkerEnv {
  const id = uniqueName('w');
  const dir = mkdtempSync(join(tmpdir(), `kdw-${id}-`));
  const rulesDir = join(dir, 'rules');
  mkdirSync(rulesDir);
  const names = {
    alertsIndex: `kdw-alerts-${id}`,
    executionsIndex: `kdw-executions-${id}`,
    checkpointsIndex: `kdw-checkpoints-${id}`,
    leasesIndex: `kdw-leases-${id}`,
  };
  return {
    id,
    dir,
    rulesDir,
    ...names,
    config(name, extra = '') {
      const path = join(dir, name);
      writeFileSync(
        path,
        [
          `alerts_index = "${names.alertsIndex}"`,
          `executions_index = "${names.executionsIndex}"`,
          `checkpoints_index = "${names.checkpointsIndex}"`,
          `leases_index = "${names.leasesIndex}"`,
          extra,
          '[rules]',
          `paths = ["${rulesDir}"]`,
          'reload_interval = "1s"',
          '[http]',
          'port = 0',
          '[log]',
          'level = "debug"',
          '',
        ].join('\n'),
      );
      return path;
    },
    async remove(admin) {
      const all = Object.values(names);
      await admin.indices.delete({ index: all }, { ignore: [404] });
      await admin.indices.deleteIndexTemplate(
        { name: `${names.alertsIndex},${names.executionsIndex}` },
        { ignore: [404] },
      );
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * The environment a spawned worker gets: the test node's URL and CA, the kdw user, and the password only
 * through the environment (never in a config file), so the logs can be searched for it.
 */
export function workerEnv(overrides: Record<string, string> = {}): NodeJS.ProcessEnv {
  const kdw = testConnection().kdw;
  const auth = kdw.auth;
  if (auth === undefined || !('username' in auth)) throw new Error('the test connection has no kdw user');
  const env: NodeJS.ProcessEnv = { PATH: process.env['PATH'], HOME: process.env['HOME'] };
  env['ES_URL'] = kdw.url;
  env['ES_USERNAME'] = auth.username;
  env['ES_PASSWORD'] = auth.password;
  if (kdw.caCertPath !== undefined) env['ES_CA_CERT'] = kdw.caCertPath;
  return { ...env, ...overrides };
}

export function kdwPassword(): string {
  const auth = testConnection().kdw.auth;
  return auth !== undefined && 'password' in auth ? auth.password : '';
}

/** One `kdw run` process: node with tsx's loader directly, so its pid is the worker's (kill -9 hits it). */
export class WorkerProcess {
  private static readonly all = new Set<WorkerProcess>();
  readonly proc: ChildProcess;
  readonly lines: string[] = [];
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private waiters: { re: RegExp; resolve: (line: string) => void }[] = [];

  constructor(configPath: string, env: NodeJS.ProcessEnv) {
    this.proc = spawn(
      process.execPath,
      ['--import', 'tsx', join('src', 'cli', 'main.ts'), 'run', '--config', configPath],
      {
        cwd: REPO_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let pending = '';
    this.proc.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      pending += chunk;
      const parts = pending.split('\n');
      pending = parts.pop() ?? '';
      for (const line of parts) this.onLine(line);
    });
    this.proc.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
      this.stderr += chunk;
    });
    this.exited = new Promise((resolve) =>
      this.proc.once('exit', (code, signal) => {
        WorkerProcess.all.delete(this);
        resolve({ code, signal });
      }),
    );
    // killAll() must find it: a test that fails midway would otherwise leave it running, and jest with it
    WorkerProcess.all.add(this);
  }

  private onLine(line: string): void {
    this.lines.push(line);
    this.waiters = this.waiters.filter((w) => {
      if (!w.re.test(line)) return true;
      w.resolve(line);
      return false;
    });
  }

  /** The first log line (already seen or coming) that matches. */
  waitFor(re: RegExp, timeoutMs = 30_000): Promise<string> {
    const seen = this.lines.find((l) => re.test(l));
    if (seen !== undefined) return Promise.resolve(seen);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new Error(
              `no log line ${re} within ${timeoutMs} ms; stderr: ${this.stderr}\n${this.lines.slice(-5).join('\n')}`,
            ),
          ),
        timeoutMs,
      );
      this.waiters.push({
        re,
        resolve: (line) => {
          clearTimeout(timer);
          resolve(line);
        },
      });
    });
  }

  async httpPort(): Promise<number> {
    const line = await this.waitFor(/HTTP endpoint listening/);
    const m = /:(\d+) \(/.exec(line);
    return Number(m?.[1]);
  }

  /** Kills every worker a test left running (afterAll). */
  static async killAll(): Promise<void> {
    const left = [...WorkerProcess.all];
    left.forEach((w) => w.kill('SIGKILL'));
    await Promise.all(left.map((w) => w.exited));
  }

  kill(signal: NodeJS.Signals): void {
    if (this.proc.exitCode === null && this.proc.signalCode === null) this.proc.kill(signal);
  }
}

export interface ExecutionRecordDoc {
  rule: { id: string };
  status: string;
  warnings: string[];
  windows: { from: string; to: string; kind: string }[];
  counts: { alerts_created: number; duplicates_skipped: number };
  gap?: { ms: number; from: string; to: string };
  error?: { type: string; reason: string };
  kdw: { worker_id: string };
}

export async function executionRecords(admin: Client, index: string): Promise<ExecutionRecordDoc[]> {
  await admin.indices.refresh({ index }, { ignore: [404] });
  const res = await admin.search<ExecutionRecordDoc>(
    { index, size: 10_000, sort: ['@timestamp'] },
    { ignore: [404] },
  );
  return (res.hits?.hits ?? []).flatMap((h) => (h._source === undefined ? [] : [h._source]));
}

/** auditID of the source event of every alert of a rule (one entry per alert document). */
export async function alertedAuditIds(admin: Client, index: string, ruleId: string): Promise<string[]> {
  await admin.indices.refresh({ index });
  const res = await admin.search<{ kubernetes?: { audit?: { auditID?: string } } }>({
    index,
    size: 10_000,
    query: { term: { 'kibana.alert.rule.rule_id': ruleId } },
  });
  return res.hits.hits.map((h) => h._source?.kubernetes?.audit?.auditID ?? '?');
}

/** The checkpoint of a rule, as stored. */
export async function checkpointOf(
  admin: Client,
  index: string,
  ruleId: string,
): Promise<number | undefined> {
  const res = await admin.get<{ covered_to: string }>({ index, id: `default:${ruleId}` }, { ignore: [404] });
  return res.found && res._source !== undefined ? Date.parse(res._source.covered_to) : undefined;
}

export async function waitUntil(
  what: string,
  check: () => Promise<boolean>,
  timeoutMs: number,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (await check()) return;
    await sleep(500);
  }
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Writes one query rule file per fault-test rule into the environment's rules folder. */
export function writeFaultRules(
  env: WorkerEnv,
  rules: readonly { ruleId: string; prefix: string }[],
  index: string,
): void {
  for (const r of rules)
    writeFileSync(
      join(env.rulesDir, `${r.ruleId}.toml`),
      queryRuleToml({ ...r, name: `fault test ${r.prefix}`, index }),
    );
}

/** Waits until every rule has its first checkpoint: its first run is over, events fed from now on count. */
export async function waitForFirstCheckpoints(
  admin: Client,
  rules: readonly { checkpointsIndex: string; ruleId: string }[],
): Promise<void> {
  await waitUntil(
    'the first checkpoints',
    async () =>
      (await Promise.all(rules.map((r) => checkpointOf(admin, r.checkpointsIndex, r.ruleId)))).every(
        (c) => c !== undefined,
      ),
    20_000,
  );
}
