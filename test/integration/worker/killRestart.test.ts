import { randomUUID } from 'node:crypto';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients } from '../../helpers/connection';
import { Feeder } from './feeder';
import {
  alertedAuditIds,
  checkpointOf,
  createWorkerEnv,
  executionRecords,
  kdwPassword,
  sleep,
  waitUntil,
  workerEnv,
  WorkerProcess,
  type WorkerEnv,
  waitForFirstCheckpoints,
  writeFaultRules,
} from './harness';

const admin = adminClient();
const RULES = [
  { ruleId: randomUUID(), prefix: 'a-' },
  { ruleId: randomUUID(), prefix: 'b-' },
];
const INTERVAL_MS = 5000;
const TARGET_KILLS = 20;
const KILL_LOOP_BUDGET_MS = 125_000;

jest.setTimeout(230_000);

describe('kdw run: kill -9 at random points, restart, no alert lost or repeated', () => {
  let stream: AuditStream;
  let env: WorkerEnv;

  beforeAll(async () => {
    stream = await createAuditStream(admin);
    env = createWorkerEnv();
    writeFaultRules(env, RULES, stream.dataStream);
  });

  afterAll(async () => {
    await WorkerProcess.killAll();
    await stream.remove();
    await env.remove(admin);
    await closeClients();
  });

  it('produces exactly one alert per matching event across kills and restarts', async () => {
    const config = env.config('kdw.toml', 'concurrency = 2');
    const logs: string[] = [];
    let worker = new WorkerProcess(config, workerEnv());
    await worker.waitFor(/ready: 2 rule/);
    // the first run of a new rule has no checkpoint and only its main window: feed from then on
    await waitForFirstCheckpoints(
      admin,
      RULES.map((r) => ({ checkpointsIndex: env.checkpointsIndex, ruleId: r.ruleId })),
    );
    const feeder = new Feeder(
      admin,
      stream,
      RULES.map((r) => r.prefix),
    );
    feeder.start();
    const started = Date.now();
    let kills = 0;
    let killedMidRun = 0;
    while (kills < TARGET_KILLS && Date.now() - started < KILL_LOOP_BUDGET_MS) {
      await worker.waitFor(/ready: 2 rule/);
      // land inside the runs: a random moment up to 700 ms after the next tick, or anywhere
      const now = Date.now();
      const nextTick = Math.ceil(now / INTERVAL_MS) * INTERVAL_MS;
      const at = Math.random() < 0.8 ? nextTick + Math.random() * 700 : now + Math.random() * INTERVAL_MS;
      await sleep(at - Date.now());
      worker.kill('SIGKILL');
      const exit = await worker.exited;
      expect(exit.signal).toBe('SIGKILL');
      kills++;
      if (at % INTERVAL_MS < 700) killedMidRun++;
      logs.push(...worker.lines);
      // sometimes stay down longer than the look-back, so the restart needs catch-up windows
      if (Math.random() < 0.25) await sleep(INTERVAL_MS * (1 + Math.random()));
      worker = new WorkerProcess(config, workerEnv());
    }
    await worker.waitFor(/ready: 2 rule/);
    await feeder.stop();
    // every event is in the windows of the ticks up to 10 s (the rule's from) after it was written
    const settled = feeder.lastIngested + 11_000;
    await waitUntil(
      'the checkpoints to pass the last event',
      async () =>
        (await Promise.all(RULES.map((r) => checkpointOf(admin, env.checkpointsIndex, r.ruleId)))).every(
          (c) => c !== undefined && c >= settled,
        ),
      60_000,
    );
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    logs.push(...worker.lines);

    const records = await executionRecords(admin, env.executionsIndex);
    const catchUps = records.filter((rec) => rec.windows.some((w) => w.kind === 'catch-up')).length;
    process.stdout.write(
      `[kill -9] ${kills} kills in ${Math.round((Date.now() - started) / 1000)} s (${killedMidRun} within 700 ms of a tick), ` +
        `${RULES.map((r) => `${r.prefix}: ${feeder.expected(r.prefix).length} events`).join(', ')}, ` +
        `${records.length} runs, ${catchUps} with catch-up windows, ${logs.length} log lines\n`,
    );
    for (const r of RULES) {
      const expected = feeder.expected(r.prefix);
      const alerted = (await alertedAuditIds(admin, env.alertsIndex, r.ruleId)).sort();
      expect(expected.length).toBeGreaterThan(20);
      // zero lost, zero duplicates
      expect(alerted).toEqual(expected);
    }
    expect(records.filter((rec) => rec.gap !== undefined)).toEqual([]);
    const password = kdwPassword();
    expect(password.length).toBeGreaterThan(5);
    expect(logs.filter((l) => l.includes(password))).toEqual([]);
    expect(kills).toBeGreaterThanOrEqual(10);
  });
});
