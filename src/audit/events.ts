import type { JsonObject } from './transform';

/**
 * One line of an audit log to the audit events it holds: a JSON `Event` (audit.k8s.io v1 or v1beta1), or a
 * JSON `EventList` whose `items` are events. Pure. What is not an event is returned with a reason, never
 * thrown: one bad line (or one bad item of a list) must not cost the valid ones.
 */
export interface BadRecord {
  readonly line: number;
  /** index in the EventList's items, when the line is a list */
  readonly item?: number;
  readonly reason: string;
}

export interface ParsedLine {
  readonly events: JsonObject[];
  /** for an EventList line, the index in `items` of each event (same order as `events`) */
  readonly items?: number[];
  readonly bad: BadRecord[];
}

const AUDIT_VERSIONS = new Set(['audit.k8s.io/v1', 'audit.k8s.io/v1beta1']);

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function describe(value: unknown): string {
  if (Array.isArray(value)) return 'a JSON array';
  if (value === null) return 'null';
  return `a JSON ${typeof value}`;
}

/** Why `value` is not an audit event, or undefined when it is one. */
export function notAnEventReason(value: unknown): string | undefined {
  if (!isObject(value)) return `not an audit event: ${describe(value)}`;
  const kind = value['kind'];
  const apiVersion = value['apiVersion'];
  if (kind !== 'Event') return `not an audit event: kind ${JSON.stringify(kind ?? null)}`;
  if (typeof apiVersion !== 'string' || !AUDIT_VERSIONS.has(apiVersion))
    return `not an audit event: apiVersion ${JSON.stringify(apiVersion ?? null)} (expected audit.k8s.io/v1 or v1beta1)`;
  if (typeof value['auditID'] !== 'string' || value['auditID'] === '')
    return 'not an audit event: no auditID';
  return undefined;
}

function jsonError(text: string, terminated: boolean, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  if (!terminated) return 'truncated: the last line has no newline and is not complete JSON';
  // V8 reports a cut-off document as "end of JSON input" or as an error at the very end of the text
  const at = /at position (\d+)/.exec(message)?.[1];
  const truncated =
    /end of JSON input/i.test(message) || (at !== undefined && Number(at) >= text.trimEnd().length);
  if (truncated && text.trimStart().startsWith('{')) return 'truncated JSON';
  const excerpt = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `not JSON (${message.slice(0, 80)}): ${JSON.stringify(excerpt)}`;
}

export function parseAuditLine(text: string, line: number, terminated = true): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { events: [], bad: [{ line, reason: jsonError(text, terminated, err) }] };
  }
  if (isObject(value) && value['kind'] === 'EventList' && Array.isArray(value['items'])) {
    const events: JsonObject[] = [];
    const items: number[] = [];
    const bad: BadRecord[] = [];
    value['items'].forEach((item: unknown, index) => {
      const reason = notAnEventReason(item);
      if (reason === undefined && isObject(item)) {
        events.push(item);
        items.push(index);
      } else bad.push({ line, item: index, reason: reason ?? 'not an audit event' });
    });
    return { events, items, bad };
  }
  const reason = notAnEventReason(value);
  if (reason === undefined && isObject(value)) return { events: [value], bad: [] };
  return { events: [], bad: [{ line, reason: reason ?? 'not an audit event' }] };
}
