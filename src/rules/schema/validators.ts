import { TomlDate } from 'smol-toml';
import type { KeyPath } from '../path';
import type { Collector } from './collector';

/** Returned by a validator that reported an error; the caller keeps going to report more. */
export const INVALID: unique symbol = Symbol('invalid');
export type Invalid = typeof INVALID;
export type Checked<T> = T | Invalid;

/** Checks one value at `path`, reports problems to the collector and returns the typed value or INVALID. */
export type Validator<T> = (value: unknown, path: KeyPath, c: Collector) => Checked<T>;

export type Table = Readonly<Record<string, unknown>>;

export function isTable(value: unknown): value is Table {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof TomlDate);
}

/** How a value is named in messages: `string "x"`, `integer 5`, `array`, `table`. */
export function describe(value: unknown): string {
  if (typeof value === 'string') return `string ${JSON.stringify(clip(value))}`;
  if (typeof value === 'number') return Number.isInteger(value) ? `integer ${value}` : `float ${value}`;
  if (typeof value === 'boolean') return `boolean ${value}`;
  if (value instanceof TomlDate) return `date-time ${value.toISOString()}`;
  if (Array.isArray(value)) return 'array';
  if (isTable(value)) return 'table';
  return typeof value;
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

export function quote(value: string): string {
  return JSON.stringify(clip(value));
}

interface StringOptions {
  readonly nonEmpty?: boolean;
  /** a pattern the value must match, with how to describe it: `must be ${expected}` */
  readonly pattern?: { readonly re: { test(text: string): boolean }; readonly expected: string };
}

export function str(options: StringOptions = {}): Validator<string> {
  return (value, path, c) => {
    if (typeof value !== 'string') return fail(c, path, `must be a string (got ${describe(value)})`);
    if ((options.nonEmpty ?? true) && value.trim() === '') return fail(c, path, 'must not be empty');
    const p = options.pattern;
    if (p !== undefined && !p.re.test(value)) return fail(c, path, `must be ${p.expected} (got ${quote(value)})`);
    return value;
  };
}

/** Any string, the empty one included. */
export const anyStr: Validator<string> = str({ nonEmpty: false });

export function int(min: number, max: number = Number.MAX_SAFE_INTEGER): Validator<number> {
  return (value, path, c) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      return fail(c, path, `must be an integer (got ${describe(value)})`);
    }
    if (value < min || value > max) {
      const range = max === Number.MAX_SAFE_INTEGER ? `at least ${min}` : `between ${min} and ${max}`;
      return fail(c, path, `must be ${range} (got ${value})`);
    }
    return value;
  };
}

export const bool: Validator<boolean> = (value, path, c) =>
  typeof value === 'boolean' ? value : fail(c, path, `must be true or false (got ${describe(value)})`);

export function oneOf<const T extends string>(values: readonly T[], context = ''): Validator<T> {
  const allowed = `must be one of ${values.join(', ')}${context}`;
  return (value, path, c) => {
    if (typeof value === 'string' && (values as readonly string[]).includes(value)) return value as T;
    const got = typeof value === 'string' ? quote(value) : describe(value);
    return fail(c, path, `${allowed} (got ${got})`);
  };
}

/** Exactly this string (e.g. `field = "new_terms_fields"`). */
export function literal<const T extends string>(expected: T): Validator<T> {
  return (value, path, c) => {
    if (value === expected) return expected;
    const got = typeof value === 'string' ? quote(value) : describe(value);
    return fail(c, path, `must be ${JSON.stringify(expected)} (got ${got})`);
  };
}

interface ListOptions {
  readonly min?: number;
  readonly max?: number;
  readonly unique?: boolean;
}

export function list<T>(item: Validator<T>, options: ListOptions = {}): Validator<T[]> {
  return (value, path, c) => {
    if (!Array.isArray(value)) return fail(c, path, `must be an array (got ${describe(value)})`);
    const min = options.min ?? 0;
    const max = options.max ?? Number.MAX_SAFE_INTEGER;
    if (value.length < min || value.length > max) {
      return fail(c, path, `must have ${countPhrase(min, max)} (got ${value.length})`);
    }
    const out: T[] = [];
    let ok = true;
    value.forEach((v: unknown, n) => {
      const r = item(v, [...path, n], c);
      if (r === INVALID) ok = false;
      else if (options.unique === true && out.includes(r)) {
        c.error([...path, n], `repeats ${typeof r === 'string' ? quote(r) : String(r)}`);
        ok = false;
      } else out.push(r);
    });
    return ok ? out : INVALID;
  };
}

function countPhrase(min: number, max: number): string {
  const entries = (n: number) => `${n} ${n === 1 ? 'entry' : 'entries'}`;
  if (max === Number.MAX_SAFE_INTEGER) return `at least ${entries(min)}`;
  if (min === max) return `exactly ${entries(min)}`;
  return `${min} to ${max} entries`;
}

export function strList(options: ListOptions = {}): Validator<string[]> {
  return list(str(), options);
}

/** A string or an array of strings, as a list. */
export function strOrList(options: ListOptions = {}): Validator<string[]> {
  const asList = strList(options);
  return (value, path, c) => (typeof value === 'string' ? asList([value], path, c) : asList(value, path, c));
}

/** A table whose content is kept as written (Kibana filters, meta, extended). */
export const freeTable: Validator<Table> = (value, path, c) =>
  isTable(value) ? value : fail(c, path, `must be a table (got ${describe(value)})`);

export const anything: Validator<unknown> = (value) => value;

export function fail(c: Collector, path: KeyPath, message: string): Invalid {
  c.error(path, message);
  return INVALID;
}
