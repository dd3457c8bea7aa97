import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { captureIo } from '../../helpers/replayIo';

const dir = mkdtempSync(join(tmpdir(), 'kdw-replay-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const event = (id: string): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: id,
    stage: 'ResponseComplete',
    verb: 'get',
    requestReceivedTimestamp: '2026-11-20T08:00:00Z',
  });

describe('kdw replay --dry-run (no Elasticsearch)', () => {
  it('checks and transforms a file, sends nothing, and exits 1 for bad lines', async () => {
    const file = join(dir, 'a.log');
    writeFileSync(file, `${event('a')}\nnot json\n${event('b')}`);
    // no ES_URL and a repo root without .kdw: a dry run needs no connection
    const io = captureIo({}, dir);
    expect(await runCli(['replay', 'a.log', '--dry-run', '--json'], io, dir)).toBe(1);
    const summary = JSON.parse(io.stdout.join('')) as Record<string, unknown>;
    expect(summary).toMatchObject({
      dry_run: true,
      events: 2,
      indexed: 2,
      bad: 1,
      bad_listed: [{ line: 2 }],
    });
  });

  it('exits 0 for a clean file and 2 for usage errors', async () => {
    const file = join(dir, 'b.log');
    writeFileSync(file, `${event('a')}\r\n\r\n`);
    expect(await runCli(['replay', file, '--dry-run'], captureIo({}, dir), dir)).toBe(0);
    expect(await runCli(['replay', file, '--dry-run', '--ingested', 'later'], captureIo({}, dir), dir)).toBe(
      2,
    );
    expect(await runCli(['replay', file, '--dry-run', '--batch', '1.5'], captureIo({}, dir), dir)).toBe(2);
    expect(await runCli(['replay'], captureIo({}, dir), dir)).toBe(2);
  });

  it('without a connection, a real replay is a usage error (2) that says how to configure one', async () => {
    const io = captureIo({}, dir);
    expect(await runCli(['replay', join(dir, 'b.log')], io, dir)).toBe(2);
    expect(io.stderr.join('')).toMatch(/no Elasticsearch configured/);
  });
});
