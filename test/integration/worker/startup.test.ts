import { randomUUID } from 'node:crypto';
import { unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients } from '../../helpers/connection';
import {
  createWorkerEnv,
  executionRecords,
  queryRuleToml,
  sleep,
  waitUntil,
  workerEnv,
  WorkerProcess,
  type WorkerEnv,
} from './harness';

const admin = adminClient();

jest.setTimeout(120_000);

/**
 * kdw's role grants read on logs-* only. This Elasticsearch build cannot add users while it runs (file realm
 * only, see DESIGN.md §10), so the test does not make a user without read on logs-*; it gives the real kdw user
 * a rule on `other-*`, which that user cannot read: the same _has_privileges check, the same error path.
 */
describe('kdw run: start-up checks and hot reload', () => {
  let stream: AuditStream;
  const envs: WorkerEnv[] = [];

  beforeAll(async () => {
    stream = await createAuditStream(admin);
  });

  afterAll(async () => {
    await WorkerProcess.killAll();
    await stream.remove();
    for (const env of envs) await env.remove(admin);
    await closeClients();
  });

  it('refuses to start, once, with a clear error naming the index and the privilege, when a rule searches an index kdw cannot read', async () => {
    const env = createWorkerEnv();
    envs.push(env);
    const ruleId = randomUUID();
    writeFileSync(
      join(env.rulesDir, 'other.toml'),
      queryRuleToml({ ruleId, name: 'reads other', prefix: 'x-', index: 'other-*' }),
    );
    const started = Date.now();
    const worker = new WorkerProcess(env.config('kdw.toml'), workerEnv());
    const exit = await worker.exited;
    expect(exit.code).toBe(2);
    expect(Date.now() - started).toBeLessThan(30_000);
    expect(worker.stderr).toContain(
      'kdw: cannot start: user kdw lacks 2 privilege(s): privilege read on index other-*',
    );
    expect(worker.stderr).toContain('privilege view_index_metadata on index other-*');
    expect(worker.stderr).toContain(`searched by rule ${ruleId}`);
    const logged = worker.lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(logged.find((l) => l['log.level'] === 'error')).toMatchObject({
      error: { type: 'missing_privileges' },
    });
    // nothing was installed and no rule ran: the worker stopped before scheduling anything
    expect(await admin.indices.exists({ index: env.checkpointsIndex })).toBe(false);
  });

  it('exits 2 with the key and the file on a bad configuration', async () => {
    const env = createWorkerEnv();
    envs.push(env);
    const worker = new WorkerProcess(env.config('bad.toml', 'concurrency = "many"'), workerEnv());
    expect((await worker.exited).code).toBe(2);
    expect(worker.stderr).toMatch(/kdw: .*bad\.toml:\d+:1: concurrency must be an integer \(got "many"\)/);
  });

  it('hot reload: adds, changes and removes rules without a restart; an invalid edit keeps the previous version running', async () => {
    const env = createWorkerEnv();
    envs.push(env);
    const a = { ruleId: randomUUID(), name: 'reload A', prefix: 'ra-', index: stream.dataStream };
    const b = { ruleId: randomUUID(), name: 'reload B', prefix: 'rb-', index: stream.dataStream };
    const fileA = join(env.rulesDir, 'a.toml');
    const fileB = join(env.rulesDir, 'b.toml');
    writeFileSync(fileA, queryRuleToml(a));
    const worker = new WorkerProcess(env.config('kdw.toml'), workerEnv());
    await worker.waitFor(/ready: 1 rule/);

    writeFileSync(fileB, queryRuleToml(b));
    await worker.waitFor(new RegExp(`rule ${b.ruleId} \\(reload B\\) scheduled every 5s`), 15_000);

    // an invalid edit: a bad severity on line 20
    writeFileSync(fileA, queryRuleToml(a).replace('severity = "low"', 'severity = "urgent"'));
    const error = await worker.waitFor(/invalid rule file: .*a\.toml:\d+:\d+: rule\.severity/, 15_000);
    expect(error).toContain('the previous version of rule');
    const editedAt = Date.now();
    await waitUntil(
      'a run of the previous version of A after the invalid edit',
      async () =>
        (await executionRecords(admin, env.executionsIndex)).some(
          (r) => r.rule.id === a.ruleId && Date.parse(r.windows[0]?.to ?? '') > editedAt,
        ),
      20_000,
    );

    writeFileSync(fileA, queryRuleToml({ ...a, name: 'reload A v2' }));
    await worker.waitFor(new RegExp(`rule ${a.ruleId} \\(reload A v2\\) updated`), 15_000);

    unlinkSync(fileB);
    await worker.waitFor(
      new RegExp(`rule ${b.ruleId} \\(reload B\\) removed: its file .* was deleted`),
      15_000,
    );

    // a new rule on an index kdw cannot read is refused, naming the privilege; the others keep running
    const c = { ruleId: randomUUID(), name: 'reload C', prefix: 'rc-', index: 'other-*' };
    writeFileSync(join(env.rulesDir, 'c.toml'), queryRuleToml(c));
    const refused = await worker.waitFor(
      new RegExp(`rule ${c.ruleId} in .*c\\.toml is not scheduled`),
      15_000,
    );
    expect(refused).toContain('privilege read on index other-*');
    await sleep(6000);
    const recent = (await executionRecords(admin, env.executionsIndex)).filter(
      (r) => Date.parse(r.windows[0]?.to ?? '') > Date.now() - 7000,
    );
    expect(new Set(recent.map((r) => r.rule.id))).toEqual(new Set([a.ruleId]));

    const res = await fetch(`http://127.0.0.1:${await worker.httpPort()}/readyz`);
    expect(res.status).toBe(200);
    const metrics = await (await fetch(`http://127.0.0.1:${await worker.httpPort()}/metrics`)).text();
    expect(metrics).toMatch(/kdw_rules_scheduled 1/);
    expect(metrics).toMatch(/kdw_rule_reload_errors_total [2-9]/);
    worker.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
  });
});
