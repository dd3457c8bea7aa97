import { ConfigError } from '../errors';
import { LOG_LEVELS, type KeySpec, type KeyValue } from './schema';

/** Where a value comes from, as error messages name it (`<origin>: <key> <problem>`, no colon after the key so
 * that redact() never mistakes a message about a password for the password): `config/x.toml:3:1` or `environment variable KDW_X`. */
export interface Origin {
  readonly text: string;
  readonly file?: string;
  readonly env?: string;
}

const DURATION = /^(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `250ms`, `10s`, `5m`, `24h`, `1d` to milliseconds; undefined when it is not such a duration. */
export function parseDuration(text: string): number | undefined {
  const m = DURATION.exec(text.trim());
  if (m === null) return undefined;
  const ms = Number(m[1]) * (UNIT_MS[m[2] ?? ''] ?? Number.NaN);
  return Number.isSafeInteger(ms) ? ms : undefined;
}

function fail(spec: KeySpec, origin: Origin, message: string): never {
  throw new ConfigError(`${origin.text}: ${spec.key} ${message}`, {
    key: spec.key,
    ...(origin.file === undefined ? {} : { file: origin.file }),
    ...(origin.env === undefined ? {} : { env: origin.env }),
  });
}

function show(raw: unknown, spec: KeySpec): string {
  return spec.kind === 'secret' ? '***' : JSON.stringify(raw);
}

function bounded(spec: KeySpec, origin: Origin, n: number, unit: string): number {
  if (spec.min !== undefined && n < spec.min) fail(spec, origin, `must be at least ${spec.min}${unit}`);
  if (spec.max !== undefined && n > spec.max) fail(spec, origin, `must be at most ${spec.max}${unit}`);
  return n;
}

/**
 * A raw value (TOML-typed from a file, a string from the environment) to the key's typed value.
 * Durations become milliseconds. Throws a ConfigError that names the origin and the key.
 */
export function parseValue(spec: KeySpec, raw: unknown, origin: Origin): KeyValue {
  const fromEnv = origin.env !== undefined;
  switch (spec.kind) {
    case 'string':
    case 'secret':
    case 'index':
    case 'level': {
      if (typeof raw !== 'string') fail(spec, origin, `must be a string (got ${show(raw, spec)})`);
      if (spec.kind === 'level' && !(LOG_LEVELS as readonly string[]).includes(raw))
        fail(spec, origin, `must be one of ${LOG_LEVELS.join(', ')} (got ${show(raw, spec)})`);
      if (spec.kind === 'index') checkIndexName(spec, origin, raw);
      return raw;
    }
    case 'int': {
      const n = fromEnv && typeof raw === 'string' && /^-?\d+$/.test(raw.trim()) ? Number(raw) : raw;
      if (typeof n !== 'number' || !Number.isInteger(n))
        fail(spec, origin, `must be an integer (got ${show(raw, spec)})`);
      return bounded(spec, origin, n, '');
    }
    case 'duration': {
      const ms = typeof raw === 'string' ? parseDuration(raw) : undefined;
      if (ms === undefined)
        fail(spec, origin, `must be a duration like 500ms, 10s, 5m, 24h (got ${show(raw, spec)})`);
      return bounded(spec, origin, ms, 'ms');
    }
    case 'bool': {
      const b = fromEnv && (raw === 'true' || raw === 'false') ? raw === 'true' : raw;
      if (typeof b !== 'boolean') fail(spec, origin, `must be true or false (got ${show(raw, spec)})`);
      return b;
    }
    case 'list': {
      const list: unknown =
        fromEnv && typeof raw === 'string'
          ? raw
              .split(',')
              .map((s) => s.trim())
              .filter((s) => s !== '')
          : raw;
      if (!Array.isArray(list) || !list.every((v): v is string => typeof v === 'string' && v !== ''))
        fail(spec, origin, `must be a list of non-empty strings (got ${show(raw, spec)})`);
      if (list.length === 0) fail(spec, origin, 'must not be empty');
      return list;
    }
  }
}

/** Elasticsearch's rules for index names, checked at start so the error names the key. */
function checkIndexName(spec: KeySpec, origin: Origin, name: string): void {
  if (
    name === '' ||
    name !== name.toLowerCase() ||
    /[\\/*?"<>| ,#:]/.test(name) ||
    /^[-_+]/.test(name) ||
    name === '.' ||
    name === '..' ||
    Buffer.byteLength(name) > 255
  ) {
    fail(spec, origin, `is not a valid index name: "${name}"`);
  }
  if (!name.startsWith('kdw-') && !name.startsWith('.kdw-'))
    fail(spec, origin, `must start with kdw- or .kdw- (the indices kdw's role may write), got "${name}"`);
}
