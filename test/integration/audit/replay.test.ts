import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { REPO_ROOT, adminClient, closeClients } from '../../helpers/connection';
import { captureIo } from '../../helpers/replayIo';

jest.setTimeout(60_000);

const admin = adminClient();
let stream: AuditStream;
let dir: string;

beforeAll(async () => {
  stream = await createAuditStream(admin);
  dir = mkdtempSync(join(tmpdir(), 'kdw-replay-'));
});

afterAll(async () => {
  await stream.remove();
  rmSync(dir, { recursive: true, force: true });
  await closeClients();
});

const CORRUPTIONS: ReadonlyArray<(valid: string) => string> = [
  (valid) => valid.slice(0, Math.floor(valid.length / 2)), // truncated in the middle
  () => 'E1123 08:00:00.000000 1 audit.go:42] backend error', // a log line that is not JSON
  () => '{"kind":"Pod","apiVersion":"v1","metadata":{"name":"x"}}', // JSON, not an audit event
  (valid) => valid.replace('"kind":"Event"', '"kind":"Even"'),
];

describe('kdw replay into a real Elasticsearch', () => {
  it('indexes every valid line of a file with 1% corrupted lines and reports the others by line number', async () => {
    const total = 3000;
    const start = Date.parse('2026-11-20T08:00:00Z');
    const badLines: number[] = [];
    const lines: string[] = [];
    for (let i = 1; i <= total; i++) {
      const t = new Date(start + i * 100).toISOString();
      // every request logs two stages under one auditID, as the apiserver does
      const auditID = `req-${Math.ceil(i / 2)}`;
      const stage = i % 2 === 1 ? 'ResponseStarted' : 'ResponseComplete';
      const valid = JSON.stringify(
        rawAuditEvent({ auditID, stage, requestReceivedTimestamp: t, stageTimestamp: t }),
      );
      if (i % 100 === 37) {
        badLines.push(i);
        lines.push(CORRUPTIONS[badLines.length % CORRUPTIONS.length]?.(valid) ?? 'x');
      } else lines.push(valid);
    }
    const file = join(dir, 'audit.log');
    writeFileSync(file, `${lines.join('\r\n')}\r\n`);
    const io = captureIo();
    const code = await runCli(
      ['replay', file, '--index', stream.dataStream, '--json', '--batch', '500'],
      io,
      REPO_ROOT,
    );
    const summary = JSON.parse(io.stdout.join('')) as {
      events: number;
      indexed: number;
      bad: number;
      unindexed: number;
      bad_listed: { line: number; reason: string }[];
    };
    expect(code).toBe(1); // bad lines are findings
    const valid = total - badLines.length;
    expect(badLines).toHaveLength(30);
    expect(summary).toMatchObject({ events: valid, indexed: valid, bad: badLines.length, unindexed: 0 });
    expect(summary.bad_listed.map((b) => b.line)).toEqual(badLines);
    await admin.indices.refresh({ index: stream.dataStream });
    const count = await admin.count({ index: stream.dataStream });
    expect(count.count).toBe(valid);
    // both stages of a request are indexed under the same auditID, never deduplicated
    const req1 = await admin.count({
      index: stream.dataStream,
      query: { term: { 'kubernetes.audit.auditID': 'req-1' } },
    });
    expect(req1.count).toBe(2);
    const ecs = await admin.count({
      index: stream.dataStream,
      query: {
        bool: {
          filter: [
            { term: { 'user_agent.original': 'kubectl/v1.30.1 (linux/amd64) kubernetes/6911225' } },
            { exists: { field: 'event.ingested' } },
          ],
        },
      },
    });
    expect(ecs.count).toBe(valid);
  });

  it('exits 0 on a clean file and 2 for a file that does not exist', async () => {
    const file = join(dir, 'clean.log');
    writeFileSync(file, `${JSON.stringify(rawAuditEvent({ auditID: 'clean-1' }))}\n`);
    const io = captureIo();
    expect(await runCli(['replay', file, '--index', stream.dataStream], io, REPO_ROOT)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/indexed\s+1\b/);
    const missing = captureIo();
    expect(
      await runCli(['replay', join(dir, 'nope.log'), '--index', stream.dataStream], missing, REPO_ROOT),
    ).toBe(2);
    expect(missing.stderr.join('')).toMatch(/no such file/);
    expect(await runCli(['replay', file, '--speed', '0'], captureIo(), REPO_ROOT)).toBe(2);
  });
});
