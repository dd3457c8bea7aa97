import { isTable } from './parseContext';

/** A field's value by its dotted path, in nested objects, dotted keys, or a mix; arrays of objects are flattened. */
export function getField(doc: unknown, path: string): unknown {
  if (path === '') return doc;
  if (Array.isArray(doc)) {
    const values = doc.flatMap((d) => {
      const v = getField(d, path);
      return v === undefined ? [] : Array.isArray(v) ? v : [v];
    });
    return values.length === 0 ? undefined : values;
  }
  if (!isTable(doc)) return undefined;
  if (Object.hasOwn(doc, path)) return doc[path];
  // the longest key that is a dotted prefix of the path wins (`kubernetes.audit` as one key, then the rest)
  const parts = path.split('.');
  for (let n = parts.length - 1; n >= 1; n -= 1) {
    const head = parts.slice(0, n).join('.');
    if (Object.hasOwn(doc, head)) {
      const found = getField(doc[head], parts.slice(n).join('.'));
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The expected value of a field an alert must not have (`absent = [...]` in an expected alert). */
export const ABSENT = Object.freeze({ toJSON: (): string => '(missing)' });

/**
 * Whether an actual value satisfies an expected one: equal JSON (object keys in any order), or, for a single
 * expected value and an array field, the array holds it (as a term query would match).
 */
export function valueMatches(expected: unknown, actual: unknown): boolean {
  if (expected === ABSENT) return actual === undefined;
  if (deepEqual(expected, actual)) return true;
  if (!Array.isArray(expected) && Array.isArray(actual)) return actual.some((a) => deepEqual(expected, a));
  return false;
}

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => deepEqual(v, b[i]));
  if (isTable(a) && isTable(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => deepEqual(a[k], b[k]));
  }
  return false;
}

/** A value as shown in a diff: JSON, `(missing)` for absent fields. */
export function showValue(value: unknown): string {
  return value === undefined || value === ABSENT ? '(missing)' : JSON.stringify(value);
}
