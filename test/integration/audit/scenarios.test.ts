import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { RunnableRule } from '../../../src/rules';
import { runCli } from '../../../src/cli/program';
import { generateBaseline, generateScenarios } from '../../../src/lab/generator';
import { SCENARIOS, SEED_RULES } from '../../../src/lab/scenarios';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { REPO_ROOT, adminClient, closeClients, kdwClient } from '../../helpers/connection';
import { captureIo } from '../../helpers/replayIo';
import { createRunEnv, seedRule, type RunEnv } from '../../helpers/ruleRun';

jest.setTimeout(180_000);

const admin = adminClient();
const kdw = kdwClient();
const MIN = 60_000;
const DAY = 86_400_000;
let stream: AuditStream;
let env: RunEnv;
let dir: string;
/** auditID → scenario id of every scenario event */
const scenarioOf = new Map<string, string>();

async function replay(file: string, ...flags: string[]): Promise<void> {
  const io = captureIo();
  const code = await runCli(
    ['replay', file, '--index', stream.dataStream, '--json', ...flags],
    io,
    REPO_ROOT,
  );
  if (code !== 0)
    throw new Error(`kdw replay ${file} exited ${code}: ${io.stdout.join('')} ${io.stderr.join('')}`);
}

/**
 * The lab's path end to end: a week of baseline as history (event.ingested = event time), then the scenarios
 * as they happen (event.ingested = now), both through kdw replay; then each seed rule once over the last
 * 6 minutes, as the worker would run it.
 */
beforeAll(async () => {
  stream = await createAuditStream(admin);
  env = await createRunEnv(kdw, admin);
  dir = mkdtempSync(join(tmpdir(), 'kdw-lab-'));
  const now = Date.now();
  // a thin week (the periodic denials, which make the baseline's agents known, come whatever the rate)
  const baseline = [
    ...generateBaseline({
      fromMs: now - 7 * DAY + 30 * MIN,
      toMs: now - 20 * MIN,
      ratePerSecond: 0.01,
      seed: 11,
    }),
  ];
  writeFileSync(join(dir, 'baseline.jsonl'), `${baseline.map((e) => JSON.stringify(e)).join('\n')}\n`);
  const scenarios = generateScenarios(now - 2 * MIN, 11);
  for (const { scenario, event } of scenarios) scenarioOf.set(String(event['auditID']), scenario.id);
  writeFileSync(
    join(dir, 'scenarios.jsonl'),
    `${scenarios.map((s) => JSON.stringify(s.event)).join('\n')}\n`,
  );
  await replay(join(dir, 'baseline.jsonl'), '--ingested', 'event');
  await replay(join(dir, 'scenarios.jsonl'));
});

afterAll(async () => {
  await env.remove();
  await stream.remove();
  rmSync(dir, { recursive: true, force: true });
  await closeClients();
});

describe('the lab scenarios through kdw replay and the seed rules', () => {
  it.each(Object.entries(SEED_RULES))(
    '%s fires on its attack scenarios and on nothing else',
    async (_name, ruleId) => {
      const rule = { ...(await seedRule(ruleId)), index: [stream.dataStream] } as RunnableRule;
      const to = new Date(Date.now() + 1000);
      const result = await env.run(rule, [{ from: new Date(to.getTime() - 6 * MIN), to, kind: 'main' }], to);
      expect(result.record.status).not.toBe('failed');
      const alerts = (await env.alerts()).filter((a) => a['kibana.alert.rule.rule_id'] === ruleId);
      const fired = alerts
        .map(
          (a) =>
            scenarioOf.get((a['kubernetes'] as { audit: { auditID: string } }).audit.auditID) ?? 'baseline',
        )
        .sort();
      const expected = SCENARIOS.filter((s) => s.ruleId === ruleId && s.expect === 'alert')
        .map((s) => s.id)
        .sort();
      expect(fired).toEqual(expected);
    },
  );
});
