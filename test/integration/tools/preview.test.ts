import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import type { JsonObject } from '../../../src/audit/transform';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient, REPO_ROOT, uniqueName } from '../../helpers/connection';
import { captureIo } from '../../helpers/replayIo';

const admin = adminClient();
const kdw = kdwClient();

const T = new Date('2026-11-20T12:00:00.000Z');
const MIN = 60_000;
const at = (minutesBefore: number): Date => new Date(T.getTime() - minutesBefore * MIN);

interface PreviewJson {
  write: boolean;
  status: string;
  summary: { windows: number; windows_run: number; hits: number; alerts: number; duplicates: number };
  alerts: { id: string; time: string; reason: string; sourceIndex: string; window: { from: string } }[];
}

let stream: AuditStream;
let dir: string;
let ruleFile: string;
const id = uniqueName('');
const alertsIndex = `kdw-alerts-p${id}`;
const executionsIndex = `kdw-executions-p${id}`;

function anonymous(minutesBefore: number, extra: JsonObject = {}): JsonObject {
  const time = at(minutesBefore).toISOString();
  return rawAuditEvent({
    user: { username: 'system:anonymous', groups: ['system:unauthenticated'] },
    requestURI: '/api/v1/secrets',
    requestReceivedTimestamp: time,
    stageTimestamp: time,
    ...extra,
  });
}

async function kdwCli(args: string[]) {
  const io = captureIo({ ...process.env, ES_URL: '' }, REPO_ROOT);
  const code = await runCli(
    [...args, '--alerts-index', alertsIndex, '--executions-index', executionsIndex],
    io,
    REPO_ROOT,
  );
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

async function count(index: string): Promise<number | 'missing'> {
  if (!(await admin.indices.exists({ index }))) return 'missing';
  await admin.indices.refresh({ index });
  return (await admin.count({ index })).count;
}

beforeAll(async () => {
  stream = await createAuditStream(admin);
  // the seed rule, on this test's index only
  dir = mkdtempSync(join(tmpdir(), 'kdw-preview-'));
  ruleFile = join(dir, 'anonymous.toml');
  const seed = readFileSync(join(REPO_ROOT, 'rules', 'kubernetes_anonymous_request_authorized.toml'), 'utf8');
  writeFileSync(ruleFile, seed.replace('index = ["logs-kubernetes.*"]', `index = ["${stream.dataStream}"]`));
  const ingestedAt = async (minutesBefore: number, events: JsonObject[]): Promise<void> =>
    stream.indexRaw(events, at(minutesBefore));
  await ingestedAt(52, [anonymous(53)]);
  // exactly on the bound of two windows: both find it, it is reported once
  await ingestedAt(30, [anonymous(30, { requestURI: '/api/v1/nodes' })]);
  await ingestedAt(4, [
    anonymous(5, { user: { username: 'system:unauthenticated' } }),
    anonymous(5, { requestURI: '/healthz' }),
    anonymous(4, { user: { username: 'alice' } }),
    anonymous(4, {
      annotations: { 'authorization.k8s.io/decision': 'forbid', 'authorization.k8s.io/reason': '' },
    }),
  ]);
  // outside the range
  await ingestedAt(90, [anonymous(90)]);
});

afterAll(async () => {
  await stream.remove();
  await admin.indices.delete({ index: [alertsIndex, executionsIndex] }, { ignore: [404] });
  await admin.indices.deleteIndexTemplate({ name: `${alertsIndex},${executionsIndex}` }, { ignore: [404] });
  rmSync(dir, { recursive: true, force: true });
  await closeClients();
});

describe('kdw preview', () => {
  const range = ['--from', at(60).toISOString(), '--to', T.toISOString()];

  it('finds the alerts of a past hour in 12 windows of 5m, reports a bound event once, and writes nothing', async () => {
    const { code, out, err } = await kdwCli(['preview', ruleFile, ...range, '--json']);
    expect({ code, err }).toEqual({ code: 0, err: '' });
    const result = JSON.parse(out) as PreviewJson;
    expect(result.write).toBe(false);
    expect(result.summary).toEqual({
      windows: 12,
      windows_run: 12,
      hits: 4,
      alerts: 3,
      duplicates: 1,
      took_ms: expect.any(Number),
    });
    expect(result.alerts.map((a) => [a.time, a.reason, a.sourceIndex])).toEqual([
      [at(53).toISOString(), expect.stringContaining('by system:anonymous'), stream.dataStream],
      [at(30).toISOString(), expect.stringContaining('by system:anonymous'), stream.dataStream],
      [at(5).toISOString(), expect.stringContaining('by system:unauthenticated'), stream.dataStream],
    ]);
    expect(result.alerts[1]?.window.from).toBe(at(35).toISOString());
    expect(await count(alertsIndex)).toBe('missing');
    expect(await count(executionsIndex)).toBe('missing');
  });

  it('prints a table and the summary, or one alert per line with --ndjson', async () => {
    const table = await kdwCli(['preview', ruleFile, ...range]);
    expect(table.code).toBe(0);
    const lines = table.out.split('\n');
    expect(lines[0]).toMatch(/^EVENT TIME\s+SEVERITY\s+REASON$/);
    expect(lines).toHaveLength(6);
    expect(lines[5]).toMatch(
      /^Kubernetes Anonymous Request Authorized: 12 window\(s\), 4 hit\(s\), 3 alert\(s\) found \(dry run: nothing written\), 1 duplicate\(s\), [\d.]+ s$/,
    );
    const ndjson = await kdwCli(['preview', ruleFile, ...range, '--ndjson']);
    expect(ndjson.out.split('\n').map((l) => (JSON.parse(l) as { time: string }).time)).toEqual([
      at(53).toISOString(),
      at(30).toISOString(),
      at(5).toISOString(),
    ]);
    expect(ndjson.err).toMatch(/3 alert\(s\) found/);
  });

  it('writes the alerts and one execution record with --write, and counts them as duplicates the next time', async () => {
    const first = await kdwCli(['preview', ruleFile, ...range, '--write', '--json']);
    expect(first.code).toBe(0);
    const written = JSON.parse(first.out) as PreviewJson;
    expect(written.summary).toMatchObject({ alerts: 3, duplicates: 1 });
    expect(await count(alertsIndex)).toBe(3);
    expect(await count(executionsIndex)).toBe(1);
    const stored = await kdw.search<Record<string, unknown>>({ index: alertsIndex, size: 10 });
    expect(stored.hits.hits.map((h) => h._id).sort()).toEqual(written.alerts.map((a) => a.id).sort());

    const again = await kdwCli(['preview', ruleFile, ...range, '--write', '--json']);
    expect((JSON.parse(again.out) as PreviewJson).summary).toMatchObject({ alerts: 0, duplicates: 4 });
    expect(await count(alertsIndex)).toBe(3);
  });

  it('exits 1 when a window fails, says which error, and stops there', async () => {
    const broken = join(dir, 'broken.toml');
    const text = readFileSync(ruleFile, 'utf8')
      .replace('language = "kuery"', 'language = "lucene"')
      .replace(/query = '''[^]*?'''/, "query = '''\nkubernetes.audit.verb:(list\n'''");
    writeFileSync(broken, text);
    const { code, out, err } = await kdwCli(['preview', broken, ...range, '--json']);
    expect(code).toBe(1);
    const result = JSON.parse(out) as PreviewJson & { error: string };
    expect(result.status).toBe('failed');
    expect(result.error).toMatch(/Failed to parse query/);
    expect(result.summary.windows_run).toBeLessThan(12);
    expect(err).toMatch(/^error: a window failed: .*Failed to parse query/);
  });

  it('exits 2 on usage errors', async () => {
    expect((await kdwCli(['preview', ruleFile, '--from', 'now', '--to', 'now-1h'])).code).toBe(2);
    expect((await kdwCli(['preview', ruleFile, '--from', 'yesterday'])).code).toBe(2);
    expect((await kdwCli(['preview', 'no-such-rule-id', '--from', 'now-1h'])).code).toBe(2);
    expect((await kdwCli(['preview', ruleFile, '--from', 'now-1h', '--json', '--ndjson'])).code).toBe(2);
  });
});
