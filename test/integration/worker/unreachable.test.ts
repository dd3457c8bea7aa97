import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, testConnection } from '../../helpers/connection';
import { Feeder } from './feeder';
import { TcpProxy } from './proxy';
import {
  alertedAuditIds,
  checkpointOf,
  createWorkerEnv,
  executionRecords,
  queryRuleToml,
  sleep,
  waitUntil,
  workerEnv,
  WorkerProcess,
  type WorkerEnv,
  waitForFirstCheckpoints,
} from './harness';

const admin = adminClient();
const OUTAGE_MS = 20_000;

jest.setTimeout(180_000);

async function metricsText(worker: WorkerProcess): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${await worker.httpPort()}/metrics`);
  return res.text();
}

describe('kdw run: the cluster unreachable for four intervals (through a TCP proxy the test controls)', () => {
  let stream: AuditStream;
  const envs: WorkerEnv[] = [];
  const proxy = new TcpProxy('127.0.0.1', Number(new URL(testConnection().kdw.url).port));

  beforeAll(async () => {
    stream = await createAuditStream(admin);
    await proxy.up();
  });

  afterAll(async () => {
    await WorkerProcess.killAll();
    await proxy.down();
    await stream.remove();
    for (const env of envs) await env.remove(admin);
    await closeClients();
  });

  it('records the failed runs, recovers without a restart, covers the outage, and records what max_catch_up leaves as a gap', async () => {
    const setups = [
      { prefix: 'full-', maxCatchUp: '24h' },
      { prefix: 'short-', maxCatchUp: '3s' },
    ].map((s) => {
      const env = createWorkerEnv();
      envs.push(env);
      const ruleId = randomUUID();
      writeFileSync(
        join(env.rulesDir, 'rule.toml'),
        queryRuleToml({ ruleId, name: `outage ${s.prefix}`, prefix: s.prefix, index: stream.dataStream }),
      );
      const url = `https://127.0.0.1:${proxy.port}`;
      const worker = new WorkerProcess(
        env.config('kdw.toml', `max_catch_up = "${s.maxCatchUp}"`),
        workerEnv({ ES_URL: url }),
      );
      return { ...s, env, ruleId, worker };
    });
    for (const s of setups) await s.worker.waitFor(/ready: 1 rule/);
    await waitForFirstCheckpoints(
      admin,
      setups.map((s) => ({ checkpointsIndex: s.env.checkpointsIndex, ruleId: s.ruleId })),
    );
    const feeder = new Feeder(
      admin,
      stream,
      setups.map((s) => s.prefix),
    );
    feeder.start();
    await sleep(7000);
    await proxy.down();
    const downAt = Date.now();
    await sleep(OUTAGE_MS);
    await proxy.up();
    const upAt = Date.now();
    await sleep(8000);
    await feeder.stop();
    const settled = feeder.lastIngested + 11_000;
    await waitUntil(
      'the checkpoints to pass the last event',
      async () =>
        (await Promise.all(setups.map((s) => checkpointOf(admin, s.env.checkpointsIndex, s.ruleId)))).every(
          (c) => c !== undefined && c >= settled,
        ),
      60_000,
    );
    const [full, short] = setups;
    if (full === undefined || short === undefined) throw new Error('two setups');

    // both workers are the processes started before the outage: no restart was needed
    for (const s of setups) expect(s.worker.proc.exitCode).toBeNull();
    for (const s of setups) {
      // a tick fails before its windows (lease or checkpoint unreadable) or inside them (search), depending
      // on whether its lease needed renewing during the outage; either way the failed run is logged (and
      // recorded in Elasticsearch when the record can be written, else the log says it was not)
      const failedTicks = s.worker.lines.filter((l) => /rule run failed/.test(l));
      expect(failedTicks.length).toBeGreaterThan(0);
    }

    // max_catch_up 24h: every event of the outage got its alert, once, through catch-up windows
    const fullRecords = await executionRecords(admin, full.env.executionsIndex);
    expect((await alertedAuditIds(admin, full.env.alertsIndex, full.ruleId)).sort()).toEqual(
      feeder.expected(full.prefix),
    );
    const catchUp = fullRecords.find((r) => r.windows.some((w) => w.kind === 'catch-up'));
    expect(catchUp).toBeDefined();
    expect(fullRecords.filter((r) => r.gap !== undefined)).toEqual([]);
    const firstCatchUpFrom = Date.parse(catchUp?.windows[0]?.from ?? '');
    expect(firstCatchUpFrom).toBeLessThanOrEqual(downAt);

    // max_catch_up 3s: the part of the outage it could not cover is recorded as a gap, and no alert repeats
    const shortRecords = await executionRecords(admin, short.env.executionsIndex);
    const gapRecords = shortRecords.filter((r) => r.gap !== undefined);
    expect(gapRecords).toHaveLength(1);
    const gapRecord = gapRecords[0];
    expect(gapRecord?.status).toBe('partial failure');
    expect(gapRecord?.warnings.some((w) => w.startsWith('gap: '))).toBe(true);
    const gap = gapRecord?.gap ?? { ms: 0, from: '', to: '' };
    expect(gap.ms).toBeGreaterThan(5000);
    expect(Date.parse(gap.from)).toBeLessThanOrEqual(downAt);
    const shortAlerts = await alertedAuditIds(admin, short.env.alertsIndex, short.ruleId);
    expect(new Set(shortAlerts).size).toBe(shortAlerts.length);
    const expectedShort = new Set(feeder.expected(short.prefix));
    expect(shortAlerts.every((id) => expectedShort.has(id))).toBe(true);
    expect(shortAlerts.length).toBeLessThan(expectedShort.size);
    const metrics = await metricsText(short.worker);
    expect(metrics).toMatch(new RegExp(`kdw_rule_gaps_total\\{rule_id="${short.ruleId}"\\} 1`));
    expect(metrics).toMatch(/kdw_rule_errors_total\{rule_id="[^"]+",code="es_unavailable"\} [1-9]/);

    for (const s of setups) {
      s.worker.kill('SIGTERM');
      expect((await s.worker.exited).code).toBe(0);
    }
    process.stdout.write(
      `[outage] ${Math.round((upAt - downAt) / 1000)} s down; full: ${feeder.expected(full.prefix).length} alerts, ` +
        `catch-up windows ${JSON.stringify(catchUp?.windows.map((w) => w.kind))}; ` +
        `short: gap ${gap.ms} ms recorded, ${shortAlerts.length}/${expectedShort.size} alerts\n`,
    );
  });
});
