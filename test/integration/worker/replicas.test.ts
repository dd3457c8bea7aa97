import { randomUUID } from 'node:crypto';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients } from '../../helpers/connection';
import { Feeder } from './feeder';
import {
  alertedAuditIds,
  checkpointOf,
  createWorkerEnv,
  executionRecords,
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
  { ruleId: randomUUID(), prefix: 'ra-' },
  { ruleId: randomUUID(), prefix: 'rb-' },
  { ruleId: randomUUID(), prefix: 'rc-' },
];

jest.setTimeout(180_000);

describe('kdw run: three replicas, one killed in the middle', () => {
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

  const leaseOwners = async (): Promise<Map<string, string>> => {
    await admin.indices.refresh({ index: env.leasesIndex });
    const res = await admin.search<{ rule_id: string; owner: string }>({ index: env.leasesIndex, size: 100 });
    return new Map(
      res.hits.hits.flatMap((h) => (h._source === undefined ? [] : [[h._source.rule_id, h._source.owner]])),
    );
  };

  it('produces exactly one alert per expected detection, and the survivors take the dead replica rules over', async () => {
    const workers = ['r1', 'r2', 'r3'].map(
      (id) =>
        new WorkerProcess(env.config(`${id}.toml`, `worker_id = "${id}"\nlease_ttl = "6s"`), workerEnv()),
    );
    await Promise.all(workers.map((w) => w.waitFor(/ready: 3 rule/)));
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
    await sleep(20_000); // four intervals
    const owners = await leaseOwners();
    const victimId = [...owners.values()][0] ?? 'r1';
    const victim = workers[['r1', 'r2', 'r3'].indexOf(victimId)];
    victim?.kill('SIGKILL');
    await victim?.exited;
    const killedAt = Date.now();
    await sleep(25_000); // five more intervals: the lease (10 s, two intervals) expires and another replica takes over
    await feeder.stop();
    const settled = feeder.lastIngested + 11_000;
    await waitUntil(
      'the checkpoints to pass the last event',
      async () =>
        (await Promise.all(RULES.map((r) => checkpointOf(admin, env.checkpointsIndex, r.ruleId)))).every(
          (c) => c !== undefined && c >= settled,
        ),
      60_000,
    );
    const survivors = workers.filter((w) => w !== victim);
    survivors.forEach((w) => w.kill('SIGTERM'));
    for (const w of survivors) expect((await w.exited).code).toBe(0);

    for (const r of RULES) {
      const expected = feeder.expected(r.prefix);
      expect(expected.length).toBeGreaterThan(20);
      expect((await alertedAuditIds(admin, env.alertsIndex, r.ruleId)).sort()).toEqual(expected);
    }
    const records = await executionRecords(admin, env.executionsIndex);
    const victimRules = [...owners].filter(([, owner]) => owner === victimId).map(([rule]) => rule);
    const takenOver = records.filter(
      (rec) =>
        victimRules.includes(rec.rule.id) &&
        rec.kdw.worker_id !== victimId &&
        Date.parse(rec.windows[rec.windows.length - 1]?.to ?? '') > killedAt,
    );
    expect(victimRules.length).toBeGreaterThan(0);
    expect(new Set(takenOver.map((rec) => rec.rule.id))).toEqual(new Set(victimRules));
    process.stdout.write(
      `[replicas] lease owners before the kill: ${JSON.stringify(Object.fromEntries(owners))}; killed ${victimId}; ` +
        `${records.length} runs by ${JSON.stringify(countBy(records.map((rec) => rec.kdw.worker_id)))}; ` +
        `${RULES.map((r) => `${r.ruleId}: ${feeder.expected(r.prefix).length} alerts`).join(', ')}\n`,
    );
  });
});

function countBy(values: readonly string[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) out[v] = (out[v] ?? 0) + 1;
  return out;
}
