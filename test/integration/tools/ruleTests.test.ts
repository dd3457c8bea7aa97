import { copyFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { captureIo } from '../../helpers/replayIo';
import { adminClient, closeClients, REPO_ROOT } from '../../helpers/connection';

const admin = adminClient();
const ANON = 'kubernetes_anonymous_request_authorized';

interface JsonCase {
  name: string;
  status: string;
  fixture_index: string;
  actual_count: number;
}
interface JsonReport {
  ok: boolean;
  counts: { passed: number; failed: number; errors: number };
  files: { file: string; errors: string[]; cases: JsonCase[] }[];
}

async function kdw(args: string[], cwd = REPO_ROOT) {
  const io = captureIo({ ...process.env, ES_URL: '' }, cwd);
  const code = await runCli(args, io, REPO_ROOT);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

async function indexExists(index: string): Promise<boolean> {
  return admin.indices.exists({ index });
}

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'kdw-ruletests-'));
});
afterAll(async () => {
  rmSync(dir, { recursive: true, force: true });
  await closeClients();
});

describe('kdw test', () => {
  it('passes the three seed rule tests in rules/, and deletes every fixture index', async () => {
    const { code, out, err } = await kdw(['test', 'rules/', '--json']);
    const report = JSON.parse(out) as JsonReport;
    expect({ code, err }).toEqual({ code: 0, err: '' });
    expect(report.ok).toBe(true);
    expect(report.files.map((f) => f.file)).toEqual([
      'rules/kubernetes_anonymous_request_authorized.test.toml',
      'rules/kubernetes_denied_service_account_request_via_unusual_user_agent.test.toml',
      'rules/kubernetes_suspicious_assignment_of_controller_service_account.test.toml',
    ]);
    const cases = report.files.flatMap((f) => f.cases);
    expect(cases.filter((c) => c.status !== 'pass')).toEqual([]);
    expect(report.counts).toEqual({ passed: cases.length, failed: 0, errors: 0 });
    expect(cases.length).toBeGreaterThanOrEqual(15);
    // positives really alert, near misses really stay silent
    expect(cases.filter((c) => c.actual_count > 0).length).toBeGreaterThanOrEqual(6);
    for (const c of cases) {
      expect(c.fixture_index).toMatch(/^logs-kubernetes\.audit_logs-kdwtest-/);
      expect(await indexExists(c.fixture_index)).toBe(false);
    }
  });

  it('reports a failing case with a diff of expected and actual fields and exits 1', async () => {
    copyFileSync(join(REPO_ROOT, 'rules', `${ANON}.toml`), join(dir, `${ANON}.toml`));
    writeFileSync(
      join(dir, `${ANON}.test.toml`),
      [
        '[defaults.audit]',
        'annotations = { "authorization.k8s.io/decision" = "allow" }',
        'requestURI = "/api/v1/secrets"',
        '[[case]]',
        'name = "passes"',
        '[[case.event]]',
        'at = "-1m"',
        'audit = { user = { username = "system:anonymous" } }',
        '[[case.expect.alerts]]',
        '"kubernetes.audit.user.username" = "system:anonymous"',
        '[[case]]',
        'name = "wrongly expects a named user to alert"',
        '[[case.event]]',
        'at = "-2m"',
        'audit = { user = { username = "system:anonymous" }, requestURI = "/api/v1/nodes" }',
        '[[case.event]]',
        'at = "-1m"',
        'audit = { user = { username = "alice" } }',
        '[case.expect]',
        'count = 1',
        '[[case.expect.alerts]]',
        '"kubernetes.audit.user.username" = "alice"',
        '"kubernetes.audit.requestURI" = "/api/v1/secrets"',
      ].join('\n'),
    );
    const file = relative(REPO_ROOT, join(dir, `${ANON}.test.toml`));
    const { code, out } = await kdw(['test', join(dir, `${ANON}.toml`)]);
    expect(code).toBe(1);
    const lines = out.split('\n');
    expect(lines[0]).toBe(`${file}  (Kubernetes Anonymous Request Authorized)`);
    expect(lines[1]).toMatch(
      new RegExp(`^  PASS  passes  \\(${file.replace(/\./g, '\\.')}:4:1, 1 alert\\(s\\), \\d+ ms\\)$`),
    );
    expect(lines[2]).toMatch(
      /^ {2}FAIL {2}wrongly expects a named user to alert {2}\(.*:11:1, 1 alert\(s\), \d+ ms\)$/,
    );
    expect(lines.slice(3, 8)).toEqual([
      expect.stringMatching(
        /^ {8}expected alert 1 not found; closest alert \(\d{4}-.*Z\), - expected \+ actual:$/,
      ),
      '          - kubernetes.audit.user.username: "alice"',
      '          + kubernetes.audit.user.username: "system:anonymous"',
      '          - kubernetes.audit.requestURI: "/api/v1/secrets"',
      '          + kubernetes.audit.requestURI: "/api/v1/nodes"',
    ]);
    expect(lines[lines.length - 1]).toMatch(/^2 case\(s\): 1 passed, 1 failed in 1 file\(s\), [\d.]+ s$/);
  });

  it('reports an invalid test file at file:line:col and a test without its rule, and exits 1', async () => {
    writeFileSync(
      join(dir, 'broken.test.toml'),
      '[[case]]\nname = "x"\n[[case.event]]\nat = "5m"\necs = {}\n[case.expect]\ncount = 0\n',
    );
    writeFileSync(join(dir, 'orphan.test.toml'), '[[case]]\nname = "x"\n[case.expect]\ncount = 0\n');
    const { code, out } = await kdw([
      'test',
      join(dir, 'broken.test.toml'),
      join(dir, 'orphan.test.toml'),
      '--json',
    ]);
    expect(code).toBe(1);
    const report = JSON.parse(out) as JsonReport;
    const [broken, orphan] = report.files;
    expect(broken?.errors).toEqual([
      `${relative(REPO_ROOT, join(dir, 'broken.test.toml'))}:4:7: case[0].event[0].at: must be a time before the case's end like "-2m", "-90s" or "-3d" (got "5m") (times count back from the end: write a minus sign)`,
    ]);
    expect(orphan?.errors).toEqual([
      `${relative(REPO_ROOT, join(dir, 'orphan.test.toml'))}:1:1: rule: orphan.toml does not exist beside the test file (name the rule with rule = "<file or rule_id>")`,
    ]);
    expect(report.counts.errors).toBe(2);
  });

  it('exits 2 when no Elasticsearch answers', async () => {
    const io = captureIo(
      { ...process.env, ES_URL: 'https://127.0.0.1:1', ES_USERNAME: 'x', ES_PASSWORD: 'y' },
      REPO_ROOT,
    );
    expect(await runCli(['test', 'rules/'], io, REPO_ROOT)).toBe(2);
    expect(io.stderr.join('\n')).toMatch(/^kdw: .*connect to Elasticsearch/);
  });
});
