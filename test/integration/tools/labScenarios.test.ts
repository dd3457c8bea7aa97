import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventTime, transformAuditEvent, type JsonObject } from '../../../src/audit/transform';
import { runCli } from '../../../src/cli/program';
import { generateBaseline, generateScenarios } from '../../../src/lab/generator';
import { SCENARIOS, SEED_RULES } from '../../../src/lab/scenarios';
import { createAuditStream, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient, REPO_ROOT } from '../../helpers/connection';
import { captureIo } from '../../helpers/replayIo';

const admin = adminClient();
const kdw = kdwClient();

const T = new Date('2026-11-21T12:00:00.000Z');
const HOUR = 3_600_000;
const FILES: Record<string, string> = {
  [SEED_RULES.anonymousAuthorized]: 'kubernetes_anonymous_request_authorized.toml',
  [SEED_RULES.controllerServiceAccount]:
    'kubernetes_suspicious_assignment_of_controller_service_account.toml',
  [SEED_RULES.deniedServiceAccount]: 'kubernetes_denied_service_account_request_via_unusual_user_agent.toml',
};

let stream: AuditStream;
let dir: string;
/** auditID of each scenario event → the scenario's id */
const scenarioOf = new Map<string, string>();

/** As `kdw replay --ingested event` for the history and a plain replay for the scenarios (ingested 1 s later). */
function toDoc(event: JsonObject, ingestDelayMs: number): JsonObject {
  const own = eventTime(event)?.ms ?? T.getTime();
  const result = transformAuditEvent(event, {
    ingested: new Date(own + ingestDelayMs),
    readTime: new Date(own),
  });
  if (!result.ok) throw new Error(result.reason);
  return result.doc;
}

beforeAll(async () => {
  stream = await createAuditStream(admin);
  dir = mkdtempSync(join(tmpdir(), 'kdw-lab-'));
  const baseline = [
    ...generateBaseline({
      fromMs: T.getTime() - 7 * 24 * HOUR,
      toMs: T.getTime() - HOUR,
      ratePerSecond: 0.005,
      seed: 7,
    }),
  ].map((e) => toDoc(e, 0));
  const scenarios = generateScenarios(T.getTime() - 30 * 60_000);
  for (const { scenario, event } of scenarios) scenarioOf.set(String(event['auditID']), scenario.id);
  for (let i = 0; i < baseline.length; i += 2000) await stream.indexDocs(baseline.slice(i, i + 2000));
  await stream.indexDocs(scenarios.map(({ event }) => toDoc(event, 1000)));
});

afterAll(async () => {
  await stream.remove();
  rmSync(dir, { recursive: true, force: true });
  await closeClients();
});

describe("the lab's attack scenarios through kdw preview", () => {
  it.each(Object.entries(FILES))(
    'rule %s alerts each of its attacks once and none of the near misses',
    async (ruleId, file) => {
      const ruleFile = join(dir, file);
      const text = readFileSync(join(REPO_ROOT, 'rules', file), 'utf8').replace(
        /^index = \[.*\]$/m,
        `index = ["${stream.dataStream}"]`,
      );
      writeFileSync(ruleFile, text);
      const io = captureIo({ ...process.env, ES_URL: '' }, REPO_ROOT);
      const range = ['--from', new Date(T.getTime() - HOUR).toISOString(), '--to', T.toISOString()];
      const code = await runCli(['preview', ruleFile, ...range, '--json'], io, REPO_ROOT);
      expect(code).toBe(0);
      const result = JSON.parse(io.stdout.join('\n')) as {
        alerts: { sourceIndex: string; sourceId: string }[];
      };
      const sources = await kdw.mget<{ kubernetes: { audit: { auditID: string } } }>({
        docs: result.alerts.map((a) => ({ _index: a.sourceIndex, _id: a.sourceId })),
      });
      const alerted = sources.docs
        .map((d) =>
          'found' in d && d.found ? scenarioOf.get(d._source?.kubernetes.audit.auditID ?? '') : undefined,
        )
        .sort();
      const expected = SCENARIOS.filter((s) => s.ruleId === ruleId && s.expect === 'alert')
        .map((s) => s.id)
        .sort();
      expect(alerted).toEqual(expected);
    },
  );
});
