import type { KeyPath } from '../path';
import type { Collector } from './collector';
import { describe, fail, INVALID, isTable, type Checked, type Table, type Validator } from './validators';

export interface Field<T, R extends boolean> {
  readonly validate: Validator<T>;
  readonly required: R;
}

export function req<T>(validate: Validator<T>): Field<T, true> {
  return { validate, required: true };
}

export function opt<T>(validate: Validator<T>): Field<T, false> {
  return { validate, required: false };
}

export type Fields = Readonly<Record<string, Field<unknown, boolean>>>;

type ValueOf<F> = F extends Field<infer T, boolean> ? T : never;
type RequiredKeys<F extends Fields> = { [K in keyof F]: F[K] extends Field<unknown, true> ? K : never }[keyof F];
type OptionalKeys<F extends Fields> = Exclude<keyof F, RequiredKeys<F>>;

/** The typed result of a table: required keys present, optional keys possibly absent. */
export type TableOf<F extends Fields> = { readonly [K in RequiredKeys<F>]: ValueOf<F[K]> } & {
  readonly [K in OptionalKeys<F>]?: ValueOf<F[K]>;
};

export interface TableOptions {
  /** leave keys the spec does not know alone (the caller checks them against a wider set) */
  readonly ignoreUnknown?: boolean;
  /** what to say about a key the spec does not know; default: a warning "unknown key (ignored)" */
  readonly unknownKey?: (key: string) => string;
}

/**
 * Validates a TOML table against a spec of fields. Every field is checked (so one run reports every problem);
 * missing required keys are errors at the table; unknown keys are warnings.
 */
export function table<F extends Fields>(fields: F, options: TableOptions = {}): Validator<TableOf<F>> {
  return (value, path, c) => {
    if (!isTable(value)) return fail(c, path, `must be a table (got ${describe(value)})`);
    return checkFields(fields, value, path, c, options);
  };
}

export function checkFields<F extends Fields>(
  fields: F,
  value: Table,
  path: KeyPath,
  c: Collector,
  options: TableOptions = {},
): Checked<TableOf<F>> {
  const out: Record<string, unknown> = {};
  let ok = true;
  for (const [key, field] of Object.entries(fields)) {
    const v = Object.hasOwn(value, key) ? value[key] : undefined;
    if (v === undefined) {
      if (field.required) {
        c.error([...path, key], 'is required');
        ok = false;
      }
      continue;
    }
    const r = field.validate(v, [...path, key], c);
    if (r === INVALID) ok = false;
    else out[key] = r;
  }
  for (const key of options.ignoreUnknown === true ? [] : Object.keys(value)) {
    if (!Object.hasOwn(fields, key)) {
      c.warn([...path, key], options.unknownKey?.(key) ?? 'unknown key (ignored)');
    }
  }
  // The loop above checked every field of F against its validator.
  return ok ? (out as TableOf<F>) : INVALID;
}
