import type { RunnableRule } from '../../../src/rules';
import {
  caseWindows,
  fixtureDocs,
  formatIssues,
  parseRelativeTime,
  parseRuleTestText,
  patternsCover,
  type RuleTestCase,
} from '../../../src/ruletests';

const END = new Date('2026-11-23T12:00:00.000Z');
const MIN = 60_000;

function oneCase(text: string): RuleTestCase {
  const result = parseRuleTestText(text, 'x.test.toml');
  if (!result.ok) throw new Error(formatIssues(result.issues));
  const [c] = result.test.cases;
  if (c === undefined) throw new Error('no case');
  return c;
}

const rule = { from: 'now-6m', to: 'now', interval: '5m', intervalMs: 5 * MIN } as unknown as RunnableRule;

describe('relative times', () => {
  it.each([
    ['-2m', -2 * MIN],
    ['-90s', -90_000],
    ['-1500ms', -1500],
    ['-3d', -3 * 86_400_000],
    ['-1h', -60 * MIN],
    ['0', 0],
  ])('%s is %d ms', (text, ms) => {
    expect(parseRelativeTime(text)).toEqual({ ok: true, ms });
  });

  it.each(['2m', '+2m', '-2w', 'now-2m', '', '-m'])('refuses %j', (text) => {
    expect(parseRelativeTime(text).ok).toBe(false);
  });
});

describe('fixture documents', () => {
  it('transforms audit events as the integration does, with times counted back from the end', () => {
    const c = oneCase(
      '[[case]]\nname = "a"\n[[case.event]]\nat = "-2m"\ningested = "-1m"\n' +
        'audit = { user = { username = "system:anonymous" }, userAgent = "curl/8.5.0", annotations = { "authorization.k8s.io/decision" = "allow" } }\n' +
        '[[case.event]]\nat = "-30s"\necs = { event = { kind = "event" }, message = "x" }\n[case.expect]\ncount = 0\n',
    );
    const [audit, ecs] = fixtureDocs(c, END, 'kdwtestns');
    expect(audit).toMatchObject({
      '@timestamp': '2026-11-23T11:58:00.000Z',
      event: { ingested: '2026-11-23T11:59:00.000Z', outcome: 'success', dataset: 'kubernetes.audit_logs' },
      user: { name: 'system:anonymous' },
      user_agent: { original: 'curl/8.5.0' },
      data_stream: { namespace: 'kdwtestns' },
      kubernetes: {
        audit: {
          requestReceivedTimestamp: '2026-11-23T11:58:00.000Z',
          annotations: { 'authorization_k8s_io/decision': 'allow' },
        },
      },
    });
    expect(ecs).toEqual({
      '@timestamp': '2026-11-23T11:59:30.000Z',
      event: { kind: 'event', ingested: '2026-11-23T11:59:30.000Z' },
      message: 'x',
    });
  });
});

describe('the windows of a case', () => {
  const withEvents = (...at: string[]): RuleTestCase =>
    oneCase(
      `[[case]]\nname = "a"\n${at.map((a) => `[[case.event]]\nat = "${a}"\necs = {}\n`).join('')}` +
        '[[case.history]]\nat = "-5d"\necs = {}\n[case.expect]\ncount = 0\n',
    );

  it("is the rule's main window at the end when the events fall in it (history never widens it)", () => {
    expect(caseWindows(rule, withEvents('-2m'), END)).toEqual([
      { from: new Date(END.getTime() - 6 * MIN), to: END, kind: 'main' },
    ]);
  });

  it('adds consecutive windows of the interval back to the earliest event, oldest first', () => {
    const windows = caseWindows(rule, withEvents('-2m', '-17m'), END);
    expect(windows.map((w) => [w.from.toISOString(), w.to.toISOString(), w.kind])).toEqual([
      ['2026-11-23T11:39:00.000Z', '2026-11-23T11:44:00.000Z', 'manual'],
      ['2026-11-23T11:44:00.000Z', '2026-11-23T11:49:00.000Z', 'manual'],
      ['2026-11-23T11:49:00.000Z', '2026-11-23T11:54:00.000Z', 'manual'],
      ['2026-11-23T11:54:00.000Z', '2026-11-23T12:00:00.000Z', 'main'],
    ]);
  });

  it('refuses events so old that they belong in the history', () => {
    expect(() => caseWindows(rule, withEvents('-30d'), END)).toThrow(
      'case[0]: its earliest event needs 8639 windows of 5m (the limit is 2000); put old events under [[case.history]]',
    );
  });
});

describe("a rule's index patterns and the fixture index", () => {
  it.each([
    [['logs-kubernetes.*'], true],
    [['logs-kubernetes.audit_logs-*'], true],
    [['logs-*', '-logs-kubernetes.audit_logs-kdwtest*'], false],
    [['logs-endpoint.*'], false],
    [[], false],
  ])('%j covers it: %s', (patterns, covered) => {
    expect(patternsCover(patterns, 'logs-kubernetes.audit_logs-kdwtest-abc-text-0')).toBe(covered);
  });
});
