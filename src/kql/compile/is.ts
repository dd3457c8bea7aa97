import { isLoneWildcard, type KqlField, type KqlValue } from '../ast';
import { anyOf, resolveFields, wrapNested, type QueryField } from './fields';
import type { CompileContext, Dsl, Json, NodeCompiler } from './types';
import { toQueryString } from './wildcard';

/**
 * `field:value` (Kibana's `is`). Per matched field, in Kibana's order: `*` → exists; a wildcard → `wildcard`
 * on keyword-only fields, else `query_string` (no analyze_wildcard); a date field → range gte/lte the value;
 * keyword-only → `term`; anything else → `match`, or `match_phrase` for a quoted value.
 */
export const compileIs: NodeCompiler<'is'> = (node, context) => {
  if (node.field === null && context.nestedPath === undefined) return compileBareValue(node.value);
  // inside a nested group Kibana names a bare value's field "<path>.null"
  const field: KqlField = node.field ?? { type: 'literal', value: 'null', quoted: false };
  const resolved = resolveFields(field, context);
  return anyOf(
    resolved.fields.map((f) => wrapNested(fieldClause(f, node.value, context), f, resolved, context)),
  );
};

/** A value without a field searches every field (Elasticsearch's index.query.default_field). */
function compileBareValue(value: KqlValue): Dsl {
  if (value.type === 'wildcard') return { query_string: { query: toQueryString(value) } };
  return {
    multi_match: { type: value.quoted ? 'phrase' : 'best_fields', query: value.value, lenient: true },
  };
}

function fieldClause(field: QueryField, value: KqlValue, context: CompileContext): Dsl {
  if (isLoneWildcard(value)) return { exists: { field: field.name } };
  if (value.type === 'wildcard') {
    const pattern = toQueryString(value);
    return field.keywordOnly
      ? { wildcard: { [field.name]: { value: pattern } } }
      : { query_string: { fields: [field.name], query: pattern } };
  }
  if (field.date) {
    return {
      range: { [field.name]: { gte: value.value, lte: value.value, ...timeZoneFor(value.value, context) } },
    };
  }
  if (field.keywordOnly) return { term: { [field.name]: { value: value.value } } };
  return { [value.quoted ? 'match_phrase' : 'match']: { [field.name]: value.value } };
}

/** Kibana's time_zone for date values: none for epoch values (digits only), which are absolute. */
export function timeZoneFor(value: Json, context: CompileContext): { time_zone?: string } {
  if (context.timeZone === undefined) return {};
  if (typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))) return {};
  return { time_zone: context.timeZone };
}
