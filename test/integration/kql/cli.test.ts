import { runCli } from '../../../src/cli/program';
import type { CliIo } from '../../../src/cli/io';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, REPO_ROOT } from '../../helpers/connection';

const admin = adminClient();
let stream: AuditStream;

beforeAll(async () => {
  stream = await createAuditStream(admin, { userAgent: 'keyword' });
  await stream.indexRaw([rawAuditEvent({ auditID: 'x' })]);
});

afterAll(async () => {
  await stream.remove();
  await closeClients();
});

describe('kdw kql against the configured Elasticsearch', () => {
  it('uses the field types of --index (userAgent as keyword there)', async () => {
    const stdout: string[] = [];
    const stderr: string[] = [];
    const io: CliIo = {
      out: (t) => stdout.push(t),
      err: (t) => stderr.push(t),
      isTty: false,
      env: {},
      cwd: REPO_ROOT,
    };
    const code = await runCli(
      ['kql', 'kubernetes.audit.userAgent:curl*', '--index', stream.dataStream],
      io,
      REPO_ROOT,
    );
    expect(code).toBe(0);
    expect(stderr.join('')).toMatch(new RegExp(`field types of ${stream.dataStream} \\(1 indices`));
    expect(JSON.parse(stdout.join(''))).toEqual({
      bool: {
        should: [{ wildcard: { 'kubernetes.audit.userAgent': { value: 'curl*' } } }],
        minimum_should_match: 1,
      },
    });
  });
});
