import type { KqlField, KqlLiteralValue, KqlNode, KqlValue, KqlWildcard } from '../../src/kql';
import type { FieldTypes } from '../../src/kql';

/** Small builders for KQL syntax trees in tests. */
export const lit = (value: KqlLiteralValue, quoted = false): KqlValue => ({ type: 'literal', value, quoted });
export const q = (value: string): KqlValue => ({ type: 'literal', value, quoted: true });
export const wc = (...parts: string[]): KqlWildcard => ({ type: 'wildcard', parts });
export const f = (value: string, quoted = false): KqlField => ({ type: 'literal', value, quoted });
export const is = (field: KqlField | string | null, value: KqlValue | string): KqlNode => ({
  kind: 'is',
  field: typeof field === 'string' ? f(field) : field,
  value: typeof value === 'string' ? lit(value) : value,
});
export const and = (...children: KqlNode[]): KqlNode => ({ kind: 'and', children });
export const or = (...children: KqlNode[]): KqlNode => ({ kind: 'or', children });
export const not = (child: KqlNode): KqlNode => ({ kind: 'not', child });

/** FieldTypes from a plain object: {"a": ["keyword"], "b": ["keyword", "text"]}. */
export function types(spec: Record<string, readonly string[]>): FieldTypes {
  return new Map(Object.entries(spec).map(([name, t]) => [name, new Set(t)]));
}
