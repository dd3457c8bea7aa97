import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import { loadRules } from '../../../src/rules';
import { ABSENT, formatIssues, parseRuleTestText, type RuleTestFile } from '../../../src/ruletests';
import { captureIo } from '../../helpers/replayIo';

const REPO = join(__dirname, '..', '..', '..');

function errors(text: string, file = 'rules/x.test.toml'): string {
  const result = parseRuleTestText(text, file);
  if (result.ok) throw new Error('expected the file to be refused');
  return formatIssues(result.issues);
}

function parsed(text: string, file = 'rules/x.test.toml'): RuleTestFile {
  const result = parseRuleTestText(text, file);
  if (!result.ok) throw new Error(formatIssues(result.issues));
  return result.test;
}

const CASE = '[[case]]\nname = "a"\n';
const EXPECT0 = '[case.expect]\ncount = 0\n';

describe('rule test files: what they hold', () => {
  it('tests <stem>.toml beside the file unless `rule` says otherwise', () => {
    expect(parsed(`${CASE}${EXPECT0}`, 'rules/k8s_anon.test.toml').rule).toBe('k8s_anon.toml');
    expect(parsed(`rule = "63c057cc"\n${CASE}${EXPECT0}`).rule).toBe('63c057cc');
  });

  it('merges [defaults.audit] under every audit event, fills kind/apiVersion/level/stage/auditID, and keeps times relative', () => {
    const test = parsed(
      '[defaults.audit]\nverb = "list"\nuser = { username = "a", groups = ["g"] }\n' +
        `${CASE}[[case.event]]\nat = "-2m"\ningested = "-90s"\naudit = { user = { username = "b" } }\n` +
        `[[case.history]]\nat = "-3d"\necs = { message = "old" }\n${EXPECT0}`,
    );
    const [c] = test.cases;
    expect(c?.events).toEqual([
      expect.objectContaining({
        kind: 'audit',
        atMs: -120_000,
        ingestedMs: -90_000,
        key: 'case[0].event[0]',
        position: { line: 6, column: 1 },
        doc: {
          kind: 'Event',
          apiVersion: 'audit.k8s.io/v1',
          level: 'Metadata',
          stage: 'ResponseComplete',
          auditID: 'kdwtest-0-event-0',
          verb: 'list',
          user: { username: 'b', groups: ['g'] },
        },
      }),
    ]);
    expect(c?.history).toEqual([
      expect.objectContaining({
        kind: 'ecs',
        atMs: -3 * 86_400_000,
        ingestedMs: -3 * 86_400_000,
        doc: { message: 'old' },
      }),
    ]);
    expect(c?.expect).toEqual({ count: 0, alerts: [] });
    expect(c?.userAgentMapping).toBe('text');
  });

  it('reads JSON fixtures, a fixed end, and expected alerts written with quoted or dotted keys', () => {
    const test = parsed(
      `end = 2026-01-01T12:00:00Z\n${CASE}user_agent_mapping = "keyword"\n[[case.event]]\nat = "0"\n` +
        `ecs_json = '''\n{"user": {"name": "x"}}\n'''\n[case.expect]\n[[case.expect.alerts]]\n` +
        `"user.name" = "x"\nkubernetes.audit.verb = "get"\n`,
    );
    const [c] = test.cases;
    expect(c?.end?.toISOString()).toBe('2026-01-01T12:00:00.000Z');
    expect(c?.userAgentMapping).toBe('keyword');
    expect(c?.events[0]?.doc).toEqual({ user: { name: 'x' } });
    expect(c?.expect).toEqual({ alerts: [{ 'user.name': 'x', 'kubernetes.audit.verb': 'get' }] });
  });

  it.each([
    'kubernetes_anonymous_request_authorized',
    'kubernetes_denied_service_account_request_via_unusual_user_agent',
    'kubernetes_suspicious_assignment_of_controller_service_account',
  ])('the seed rule test rules/%s.test.toml is valid and has positives and near misses', (stem) => {
    const file = `rules/${stem}.test.toml`;
    const test = parsed(readFileSync(join(REPO, file), 'utf8'), file);
    expect(test.rule).toBe(`${stem}.toml`);
    const counts = test.cases.map((c) => c.expect.count ?? c.expect.alerts.length);
    expect(counts.filter((n) => n > 0).length).toBeGreaterThanOrEqual(2);
    expect(test.cases.filter((c) => c.name.startsWith('near miss')).length).toBeGreaterThanOrEqual(3);
  });
});

describe('rule test files beside the rules', () => {
  it('are never loaded as rules: rules/ holds three rule files and kdw validate rules/ stays green', async () => {
    const loaded = await loadRules([join(REPO, 'rules')]);
    expect(loaded.files.map((f) => f.file.replace(/^.*\/rules\//, ''))).toEqual([
      'kubernetes_anonymous_request_authorized.toml',
      'kubernetes_denied_service_account_request_via_unusual_user_agent.toml',
      'kubernetes_suspicious_assignment_of_controller_service_account.toml',
    ]);
    const io = captureIo(process.env, REPO);
    expect(await runCli(['validate', 'rules/'], io, REPO)).toBe(0);
    expect(io.stdout.join('\n')).toMatch(/3 files: 3 valid, 0 invalid/);
  });
});

describe('rule test files: errors at file:line:col', () => {
  it('reports TOML syntax errors where smol-toml finds them', () => {
    expect(errors('rule = "x.toml"\n[[case]\nname = "a"\n')).toBe(
      'rules/x.test.toml:2:8: toml: not valid TOML: expected end of table array declaration',
    );
  });

  it('needs at least one case, a name and an expectation', () => {
    expect(errors('rule = "x.toml"\n')).toBe(
      'rules/x.test.toml:1:1: case: missing: a test file needs at least one [[case]]',
    );
    expect(errors('[[case]]\n[case.expect]\n')).toBe(
      [
        'rules/x.test.toml:1:1: case[0]: needs a name',
        'rules/x.test.toml:2:1: case[0].expect: needs count and/or [[case.expect.alerts]]',
      ].join('\n'),
    );
    expect(errors(`${CASE}`)).toBe(
      'rules/x.test.toml:1:1: case[0]: needs [case.expect] with count and/or [[case.expect.alerts]]',
    );
  });

  it('refuses times after the end, with a hint for a missing minus sign, at the start of the value', () => {
    expect(errors(`${CASE}[[case.event]]\nat = "2m"\naudit = { verb = "get" }\n${EXPECT0}`)).toBe(
      'rules/x.test.toml:4:7: case[0].event[0].at: must be a time before the case\'s end like "-2m", "-90s" or "-3d" (got "2m") (times count back from the end: write a minus sign)',
    );
    expect(errors(`${CASE}[[case.event]]\nat = "-2w"\ningested = 5\naudit = {}\n${EXPECT0}`)).toBe(
      [
        'rules/x.test.toml:4:7: case[0].event[0].at: must be a time before the case\'s end like "-2m", "-90s" or "-3d" (got "-2w")',
        'rules/x.test.toml:5:1: case[0].event[0].ingested: must be a string like "-2m" (got number 5)',
      ].join('\n'),
    );
  });

  it('needs exactly one event body, and audit events that are audit events', () => {
    expect(errors(`${CASE}[[case.event]]\nat = "-1m"\n${EXPECT0}`)).toBe(
      'rules/x.test.toml:3:1: case[0].event[0]: needs the event: one of audit (a table), audit_json (a JSON string), ecs, ecs_json',
    );
    expect(errors(`${CASE}[[case.event]]\nat = "-1m"\naudit = {}\necs = {}\n${EXPECT0}`)).toBe(
      'rules/x.test.toml:3:1: case[0].event[0]: has audit and ecs: give exactly one',
    );
    expect(errors(`${CASE}[[case.event]]\nat = "-1m"\naudit = { kind = "Pod" }\n${EXPECT0}`)).toBe(
      'rules/x.test.toml:5:1: case[0].event[0].audit: is not an audit event: kind must be "Event" and apiVersion "audit.k8s.io/v1" or "audit.k8s.io/v1beta1"',
    );
  });

  it('places JSON errors inside a multi-line string at their own line and column', () => {
    const text = `${CASE}[[case.event]]\nat = "-2m"\naudit_json = '''\n{"verb": "get",\n "user": {"username" "x"}}\n'''\n${EXPECT0}`;
    expect(errors(text)).toBe(
      "rules/x.test.toml:7:22: case[0].event[0].audit_json: is not JSON: Expected ':' after property name in JSON at position 37",
    );
    expect(errors(`${CASE}[[case.event]]\nat = "-2m"\necs_json = "[1]"\n${EXPECT0}`)).toBe(
      'rules/x.test.toml:5:1: case[0].event[0].ecs_json: must hold a JSON object (got an array)',
    );
  });

  it('names unknown keys, bad counts, bad mappings and duplicate case names, in file order', () => {
    const text =
      '[[case]]\nname = "a"\nexpected = 1\nuser_agent_mapping = "wildcard"\n[case.expect]\ncount = 1\ncuont = 2\n' +
      '[[case.expect.alerts]]\n"a.b" = 1\n[[case.expect.alerts]]\nx = 2\n' +
      '[[case]]\nname = "a"\n[case.expect]\ncount = -1\n[[case]]\nname = "a"\n[case.expect]\ncount = 0\n';
    expect(errors(text)).toBe(
      [
        'rules/x.test.toml:3:1: case[0].expected: unknown key (expected one of name, end, user_agent_mapping, event, history, expect)',
        'rules/x.test.toml:4:1: case[0].user_agent_mapping: must be "text" or "keyword" (got "wildcard")',
        'rules/x.test.toml:6:1: case[0].expect.count: is 1 but 2 alerts are listed',
        'rules/x.test.toml:7:1: case[0].expect.cuont: unknown key (expected one of count, alerts)',
        'rules/x.test.toml:13:1: case[1].name: duplicate case name (also case[0])',
        'rules/x.test.toml:15:1: case[1].expect.count: must be a whole number, 0 or more (got number -1)',
        'rules/x.test.toml:17:1: case[2].name: duplicate case name (also case[0])',
      ].join('\n'),
    );
  });

  it('reads absent = [...] in an expected alert as fields that must be missing, and refuses other values', () => {
    const test = parsed(`${CASE}[[case.expect.alerts]]\n"a.b" = 1\nabsent = ["user.name"]\n`);
    expect(test.cases[0]?.expect.alerts).toEqual([{ 'a.b': 1, 'user.name': ABSENT }]);
    expect(errors(`${CASE}[[case.expect.alerts]]\nabsent = "user.name"\n`)).toBe(
      [
        'rules/x.test.toml:3:1: case[0].expect.alerts[0]: names no field',
        'rules/x.test.toml:4:1: case[0].expect.alerts[0].absent: must be an array of field names (got "user.name")',
      ].join('\n'),
    );
  });

  it('refuses an end that is not a date-time', () => {
    expect(errors(`end = "yesterday"\n${CASE}${EXPECT0}`)).toBe(
      'rules/x.test.toml:1:1: end: must be a date-time like 2026-01-01T12:00:00Z (got "yesterday")',
    );
  });
});
