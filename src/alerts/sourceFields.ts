import { isIP } from 'node:net';

/**
 * Prepares a source document for the alerts index the way Kibana does (traverseAndMutateDoc):
 * - top-level `kibana`, `signal` and `threshold_result` (also as dotted keys) are removed;
 * - values whose type conflicts with the alerts mapping are dropped (and reported), not the whole alert;
 * - `event.*` and `data_stream.*` are copied, flattened, to `kibana.alert.original_event.*` and
 *   `kibana.alert.original_data_stream.*`;
 * - `event.kind` is removed: the alert's own `event.kind: signal` replaces it.
 * Pure: returns a new document and never mutates its input.
 */
export type FieldTypeOf = (path: string) => string | undefined;

export interface PreparedSource {
  readonly doc: Record<string, unknown>;
  readonly removed: readonly string[];
}

const BANNED_TOP_LEVEL = new Set(['kibana', 'signal', 'threshold_result']);
const COPY_TO: Readonly<Record<string, string>> = {
  event: 'kibana.alert.original_event',
  data_stream: 'kibana.alert.original_data_stream',
};
const OBJECT_TYPES = new Set(['object', 'nested', 'flattened', 'geo_point']);

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function compliant(value: unknown, type: string | undefined): boolean {
  if (type === undefined || value === null) return true;
  switch (type) {
    case 'long':
    case 'integer':
    case 'short':
    case 'byte':
      return (
        (typeof value === 'number' && Number.isInteger(value)) ||
        (typeof value === 'string' && /^-?\d+$/.test(value))
      );
    case 'float':
    case 'double':
    case 'half_float':
    case 'scaled_float':
      return (
        (typeof value === 'number' && Number.isFinite(value)) ||
        (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value)))
      );
    case 'ip':
      return typeof value === 'string' && (isIP(value) !== 0 || /^[0-9a-fA-F:.]+\/\d{1,3}$/.test(value));
    case 'date':
      return (
        (typeof value === 'string' && !Number.isNaN(Date.parse(value))) ||
        (typeof value === 'number' && Number.isFinite(value))
      );
    case 'boolean':
      return typeof value === 'boolean' || value === 'true' || value === 'false';
    default:
      return OBJECT_TYPES.has(type) ? isPlainObject(value) : !isPlainObject(value);
  }
}

function flatten(prefix: string, value: unknown, out: Record<string, unknown>): void {
  if (isPlainObject(value)) {
    for (const [k, v] of Object.entries(value)) flatten(`${prefix}.${k}`, v, out);
  } else {
    out[prefix] = value;
  }
}

export function prepareSource(source: Record<string, unknown>, typeOf: FieldTypeOf): PreparedSource {
  const removed: string[] = [];

  const walk = (value: unknown, path: string): unknown => {
    if (Array.isArray(value)) {
      const kept = value
        .map((item) => walk(item, path))
        .filter((item) => item !== undefined && !(Array.isArray(item) && item.length === 0));
      return kept.length === 0 ? undefined : kept;
    }
    // a dotted path whose parent is a leaf in the mapping cannot be indexed (agent.name.x when agent.name is keyword)
    if (!compliant(value, typeOf(path)) || !parentsAreObjects(path, typeOf)) {
      removed.push(path);
      return undefined;
    }
    if (isPlainObject(value)) {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(value)) {
        const kept = walk(v, `${path}.${k}`);
        if (kept !== undefined) out[k] = kept;
      }
      return Object.keys(out).length === 0 ? undefined : out;
    }
    return value;
  };

  const doc: Record<string, unknown> = {};
  const copies: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(source)) {
    const top = key.split('.')[0] ?? key;
    if (BANNED_TOP_LEVEL.has(top)) {
      removed.push(key);
      continue;
    }
    const kept = walk(value, key);
    if (kept === undefined) continue;
    doc[key] = kept;
    const copyRoot = COPY_TO[top];
    if (copyRoot !== undefined) flatten(`${copyRoot}${key.slice(top.length)}`, kept, copies);
  }
  removeEventKind(doc);
  return { doc: { ...doc, ...copies }, removed };
}

function parentsAreObjects(path: string, typeOf: FieldTypeOf): boolean {
  const parts = path.split('.');
  for (let i = 1; i < parts.length; i++) {
    const type = typeOf(parts.slice(0, i).join('.'));
    if (type !== undefined && !OBJECT_TYPES.has(type)) return false;
  }
  return true;
}

function removeEventKind(doc: Record<string, unknown>): void {
  delete doc['event.kind'];
  const event = doc['event'];
  if (isPlainObject(event) && 'kind' in event) {
    const { kind: _kind, ...rest } = event;
    if (Object.keys(rest).length === 0) delete doc['event'];
    else doc['event'] = rest;
  }
}
