import { basename } from 'node:path';
import { parse, TomlError, type TomlTable } from 'smol-toml';
import { formatIssue, type RuleIssue } from '../rules';
import type { KeyPath } from '../rules/path';
import { scanPositions } from '../rules/positions';
import { ABSENT } from './fields';
import { describe, isTable, ParseContext } from './parseContext';
import { parseEvent, toJson, type FileDefaults } from './parseEvent';
import type { ExpectedAlert, FixtureEvent, RuleTestCase, RuleTestFile } from './types';

export type RuleTestParse =
  | { readonly ok: true; readonly test: RuleTestFile }
  | { readonly ok: false; readonly issues: readonly RuleIssue[] };

const FILE_KEYS = ['rule', 'end', 'defaults', 'case'] as const;
const CASE_KEYS = ['name', 'end', 'user_agent_mapping', 'event', 'history', 'expect'] as const;
const EXPECT_KEYS = ['count', 'alerts'] as const;

/** Rule tests live in `<name>.test.toml`; by default they test `<name>.toml` beside them. */
export const TEST_FILE_SUFFIX = '.test.toml';

export function isRuleTestFileName(name: string): boolean {
  return name.endsWith(TEST_FILE_SUFFIX);
}

/** The text of a rule test file to its cases, or every issue found, each at file:line:col. Pure. */
export function parseRuleTestText(text: string, file: string): RuleTestParse {
  const body = text.startsWith('\uFEFF') ? text.slice(1) : text;
  let doc: TomlTable;
  try {
    doc = parse(body);
  } catch (err) {
    const reason =
      err instanceof TomlError
        ? (err.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'syntax error')
        : String(err);
    const at = err instanceof TomlError ? { line: err.line, column: err.column } : { line: 1, column: 1 };
    return { ok: false, issues: [{ file, key: 'toml', message: `not valid TOML: ${reason}`, ...at }] };
  }
  const ctx = new ParseContext(file, scanPositions(body));
  ctx.onlyKeys(doc, [], FILE_KEYS);
  const rule = ctx.string(doc, [], 'rule') ?? `${basename(file).slice(0, -TEST_FILE_SUFFIX.length)}.toml`;
  const fileEnd = parseEnd(ctx, doc, []);
  const defaults = parseDefaults(ctx, doc['defaults']);
  const caseTables = ctx.tables(doc, [], 'case');
  if (caseTables.length === 0 && doc['case'] === undefined)
    ctx.issue(['case'], 'missing: a test file needs at least one [[case]]');
  const cases = caseTables.flatMap((t, i) => parseCase(ctx, t, i, defaults, fileEnd) ?? []);
  const names = new Map<string, number>();
  for (const c of cases) {
    const first = names.get(c.name);
    if (first !== undefined)
      ctx.issue(['case', c.index, 'name'], `duplicate case name (also case[${first}])`);
    else names.set(c.name, c.index);
  }
  if (ctx.issues.length > 0)
    return { ok: false, issues: [...ctx.issues].sort((a, b) => a.line - b.line || a.column - b.column) };
  return { ok: true, test: { file, rule, rulePosition: ctx.at(['rule']), cases } };
}

export function formatIssues(issues: readonly RuleIssue[]): string {
  return issues.map(formatIssue).join('\n');
}

function parseEnd(ctx: ParseContext, table: TomlTable, path: KeyPath): Date | undefined {
  const value = table['end'];
  if (value === undefined) return undefined;
  const ms =
    value instanceof Date ? value.getTime() : typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) {
    ctx.issue([...path, 'end'], `must be a date-time like 2026-01-01T12:00:00Z (got ${describe(value)})`);
    return undefined;
  }
  return new Date(ms);
}

function parseDefaults(ctx: ParseContext, value: unknown): FileDefaults {
  const empty: FileDefaults = { audit: {}, ecs: {} };
  if (value === undefined) return empty;
  if (!isTable(value)) {
    ctx.issue(['defaults'], `must be a table (got ${describe(value)})`);
    return empty;
  }
  ctx.onlyKeys(value, ['defaults'], ['audit', 'ecs']);
  const part = (key: 'audit' | 'ecs'): Record<string, unknown> => {
    const v = value[key];
    if (v === undefined) return {};
    if (isTable(v)) return toJson(v) as Record<string, unknown>;
    ctx.issue(['defaults', key], `must be a table (got ${describe(v)})`);
    return {};
  };
  return { audit: part('audit'), ecs: part('ecs') };
}

function parseCase(
  ctx: ParseContext,
  table: TomlTable,
  index: number,
  defaults: FileDefaults,
  fileEnd: Date | undefined,
): RuleTestCase | undefined {
  const path: KeyPath = ['case', index];
  ctx.onlyKeys(table, path, CASE_KEYS);
  const name = ctx.string(table, path, 'name');
  if (name === undefined && table['name'] === undefined) ctx.issue(path, 'needs a name');
  const end = parseEnd(ctx, table, path) ?? fileEnd;
  const mapping = ctx.string(table, path, 'user_agent_mapping') ?? 'text';
  if (mapping !== 'text' && mapping !== 'keyword')
    ctx.issue(
      [...path, 'user_agent_mapping'],
      `must be "text" or "keyword" (got ${JSON.stringify(mapping)})`,
    );
  const events = (kind: 'event' | 'history'): FixtureEvent[] =>
    ctx
      .tables(table, path, kind)
      .flatMap(
        (t, i) => parseEvent(ctx, t, [...path, kind, i], defaults, `kdwtest-${index}-${kind}-${i}`) ?? [],
      );
  const fixtures = events('event');
  const history = events('history');
  const expect = parseExpect(ctx, table['expect'], [...path, 'expect']);
  if (name === undefined || expect === undefined) return undefined;
  return {
    name,
    index,
    key: `case[${index}]`,
    position: ctx.at(path),
    ...(end === undefined ? {} : { end }),
    userAgentMapping: mapping === 'keyword' ? 'keyword' : 'text',
    events: fixtures,
    history,
    expect,
  };
}

function parseExpect(ctx: ParseContext, value: unknown, path: KeyPath): RuleTestCase['expect'] | undefined {
  if (value === undefined) {
    ctx.issue(path.slice(0, -1), 'needs [case.expect] with count and/or [[case.expect.alerts]]');
    return undefined;
  }
  if (!isTable(value)) {
    ctx.issue(path, `must be a table (got ${describe(value)})`);
    return undefined;
  }
  ctx.onlyKeys(value, path, EXPECT_KEYS);
  const raw = value['count'];
  const count = typeof raw === 'number' && Number.isInteger(raw) && raw >= 0 ? raw : undefined;
  if (raw !== undefined && count === undefined)
    ctx.issue([...path, 'count'], `must be a whole number, 0 or more (got ${describe(raw)})`);
  const alerts: ExpectedAlert[] = ctx.tables(value, path, 'alerts').map((t, i) => {
    const { absent, ...rest } = t;
    const fields = {
      ...flatten(toJson(rest) as Record<string, unknown>),
      ...absentFields(ctx, absent, [...path, 'alerts', i, 'absent']),
    };
    if (Object.keys(fields).length === 0) ctx.issue([...path, 'alerts', i], 'names no field');
    return fields;
  });
  if (raw === undefined && value['alerts'] === undefined)
    ctx.issue(path, 'needs count and/or [[case.expect.alerts]]');
  if (count !== undefined && count < alerts.length)
    ctx.issue([...path, 'count'], `is ${count} but ${alerts.length} alerts are listed`);
  return count === undefined ? { alerts } : { count, alerts };
}

/** `absent = ["user.name"]`: fields the alert must not have. */
function absentFields(ctx: ParseContext, value: unknown, path: KeyPath): Record<string, unknown> {
  if (value === undefined) return {};
  if (!Array.isArray(value) || !value.every((v): v is string => typeof v === 'string')) {
    ctx.issue(path, `must be an array of field names (got ${describe(value)})`);
    return {};
  }
  return Object.fromEntries(value.map((field) => [field, ABSENT]));
}

/** `{kubernetes: {audit: {verb: "x"}}}` and `{"kubernetes.audit.verb": "x"}` both to the dotted form. */
function flatten(table: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(table)) {
    const path = prefix === '' ? key : `${prefix}.${key}`;
    if (isTable(value)) Object.assign(out, flatten(value as Record<string, unknown>, path));
    else out[path] = value;
  }
  return out;
}
