import type { TomlTable } from 'smol-toml';
import { isAuditEvent, type JsonObject } from '../audit/transform';
import type { KeyPath } from '../rules/path';
import { formatPath } from '../rules/path';
import { describe, isTable, type ParseContext } from './parseContext';
import { parseRelativeTime } from './relativeTime';
import type { FixtureEvent } from './types';

const EVENT_KEYS = ['at', 'ingested', 'audit', 'audit_json', 'ecs', 'ecs_json'] as const;
const BODY_KEYS = ['audit', 'audit_json', 'ecs', 'ecs_json'] as const;

/** What every raw audit event of a test gets unless it says otherwise (the times are always set from `at`). */
export const AUDIT_EVENT_DEFAULTS: JsonObject = {
  kind: 'Event',
  apiVersion: 'audit.k8s.io/v1',
  level: 'Metadata',
  stage: 'ResponseComplete',
};

export interface FileDefaults {
  readonly audit: JsonObject;
  readonly ecs: JsonObject;
}

/** TOML values to plain JSON values (TOML dates become ISO strings). */
export function toJson(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return value.map(toJson);
  if (isTable(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  return value;
}

/** `base` with `over` on top, tables merged key by key, everything else (arrays included) replaced. */
export function deepMerge(base: JsonObject, over: JsonObject): JsonObject {
  const out: JsonObject = { ...base };
  for (const [key, value] of Object.entries(over)) {
    const below = out[key];
    out[key] = isTable(below) && isTable(value) ? deepMerge(below as JsonObject, value as JsonObject) : value;
  }
  return out;
}

/** One `[[case.event]]` or `[[case.history]]` table; undefined (with issues) when it is not usable. */
export function parseEvent(
  ctx: ParseContext,
  table: TomlTable,
  path: KeyPath,
  defaults: FileDefaults,
  auditId: string,
): FixtureEvent | undefined {
  const before = ctx.issues.length;
  ctx.onlyKeys(table, path, EVENT_KEYS);
  const atMs = relative(ctx, table, path, 'at', true);
  const ingestedMs = relative(ctx, table, path, 'ingested', false) ?? atMs;
  const bodies = BODY_KEYS.filter((k) => table[k] !== undefined);
  if (bodies.length !== 1) {
    ctx.issue(
      path,
      bodies.length === 0
        ? 'needs the event: one of audit (a table), audit_json (a JSON string), ecs, ecs_json'
        : `has ${bodies.join(' and ')}: give exactly one`,
    );
    return undefined;
  }
  const bodyKey = bodies[0] ?? 'audit';
  const body = eventBody(ctx, table[bodyKey], [...path, bodyKey]);
  if (body === undefined || atMs === undefined || ingestedMs === undefined || ctx.issues.length > before)
    return undefined;
  const kind = bodyKey.startsWith('audit') ? 'audit' : 'ecs';
  const doc =
    kind === 'audit'
      ? deepMerge(deepMerge({ ...AUDIT_EVENT_DEFAULTS, auditID: auditId }, defaults.audit), body)
      : deepMerge(defaults.ecs, body);
  if (kind === 'audit' && !isAuditEvent(doc)) {
    ctx.issue(
      [...path, bodyKey],
      'is not an audit event: kind must be "Event" and apiVersion "audit.k8s.io/v1" or "audit.k8s.io/v1beta1"',
    );
    return undefined;
  }
  return { kind, doc, atMs, ingestedMs, key: formatPath(path), position: ctx.at(path) };
}

function relative(
  ctx: ParseContext,
  table: TomlTable,
  path: KeyPath,
  key: string,
  required: boolean,
): number | undefined {
  const value = table[key];
  if (value === undefined) {
    if (required) ctx.issue(path, `needs ${key} (a time before the case's end, like "-2m")`);
    return undefined;
  }
  if (typeof value !== 'string') {
    ctx.issue([...path, key], `must be a string like "-2m" (got ${describe(value)})`);
    return undefined;
  }
  const parsed = parseRelativeTime(value);
  if (!parsed.ok) {
    ctx.issue(
      [...path, key],
      parsed.reason,
      ctx.positions.contentStart([...path, key]) ?? ctx.at([...path, key]),
    );
    return undefined;
  }
  return parsed.ms;
}

function eventBody(ctx: ParseContext, value: unknown, path: KeyPath): JsonObject | undefined {
  const key = String(path[path.length - 1]);
  if (!key.endsWith('_json')) {
    if (!isTable(value)) {
      ctx.issue(path, `must be a table (got ${describe(value)})`);
      return undefined;
    }
    return toJson(value) as JsonObject;
  }
  if (typeof value !== 'string') {
    ctx.issue(path, `must be a string holding a JSON object (got ${describe(value)})`);
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    ctx.issue(path, `is not JSON: ${message}`, jsonErrorPosition(ctx, path, value, message));
    return undefined;
  }
  if (!isTable(parsed)) {
    ctx.issue(path, `must hold a JSON object (got ${describe(parsed)})`);
    return undefined;
  }
  return parsed as JsonObject;
}

/** Where in the file a JSON error lies: the string's start plus V8's "position N" (exact for '''literal''' strings). */
function jsonErrorPosition(ctx: ParseContext, path: KeyPath, text: string, message: string) {
  const start = ctx.positions.contentStart(path) ?? ctx.at(path);
  const offset = Number(/position (\d+)/.exec(message)?.[1] ?? Number.NaN);
  if (Number.isNaN(offset)) return start;
  const before = text.slice(0, offset);
  const lines = before.split('\n');
  const last = lines[lines.length - 1] ?? '';
  return lines.length === 1
    ? { line: start.line, column: start.column + last.length }
    : { line: start.line + lines.length - 1, column: last.length + 1 };
}
