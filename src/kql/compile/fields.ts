import { isLoneWildcard, valueText, type KqlField, type KqlWildcard } from '../ast';
import { KqlCompileError } from '../errors';
import type { FieldTypes } from '../fieldTypes';
import type { CompileContext, Dsl } from './types';
import { wildcardMatcher } from './wildcard';

/** A searchable field as Kibana's data view describes it, derived from the field types. */
export interface QueryField {
  readonly name: string;
  /** keyword in every index that maps it: exact values use term/wildcard */
  readonly keywordOnly: boolean;
  /** Kibana type "date" (date/date_nanos in every index): exact values become a range */
  readonly date: boolean;
  /** the closest nested parent, when there is one */
  readonly nestedPath: string | undefined;
  /** not mapped anywhere: Kibana sends the name as written */
  readonly unmapped: boolean;
}

export interface FieldLookup {
  readonly byName: ReadonlyMap<string, QueryField>;
  readonly all: readonly QueryField[];
}

const lookups = new WeakMap<FieldTypes, FieldLookup>();

/**
 * The fields a query can name, as Kibana's data view lists them: object and nested fields themselves are
 * left out (only their leaves are searchable), a field typed differently across indices is kept.
 */
export function fieldLookup(types: FieldTypes): FieldLookup {
  const cached = lookups.get(types);
  if (cached !== undefined) return cached;
  const all: QueryField[] = [];
  for (const name of [...types.keys()].sort()) {
    const esTypes = [...(types.get(name) ?? [])];
    if (
      esTypes.length === 0 ||
      esTypes.every((t) => t === 'object') ||
      esTypes.every((t) => t === 'nested')
    ) {
      continue;
    }
    all.push({
      name,
      keywordOnly: esTypes.length === 1 && esTypes[0] === 'keyword',
      date: esTypes.every((t) => t === 'date' || t === 'date_nanos'),
      nestedPath: nestedParent(name, types),
      unmapped: false,
    });
  }
  const lookup = { byName: new Map(all.map((f) => [f.name, f])), all };
  lookups.set(types, lookup);
  return lookup;
}

function nestedParent(name: string, types: FieldTypes): string | undefined {
  const segments = name.split('.');
  for (let i = segments.length - 1; i > 0; i--) {
    const parent = segments.slice(0, i).join('.');
    const parentTypes = types.get(parent);
    if (parentTypes !== undefined && parentTypes.size === 1 && parentTypes.has('nested')) return parent;
  }
  return undefined;
}

export interface ResolvedFields {
  /** the fields the clause runs on; one raw-named entry when nothing matched */
  readonly fields: readonly QueryField[];
  /** the field was a pattern: matches under a nested path get their own nested query */
  readonly pattern: boolean;
}

/**
 * Kibana's getFullFieldNameNode + getFields: prefixes the nested path, checks that nested fields are queried
 * inside their nested group, expands patterns, and falls back to the raw name when nothing is mapped.
 */
export function resolveFields(field: KqlField, context: CompileContext): ResolvedFields {
  const full = withNestedPath(field, context.nestedPath);
  const pattern = full.type === 'wildcard';
  const matched =
    full.type === 'literal' ? lookupOne(context.fields, full.value) : matchPattern(context.fields, full);
  if (!pattern || context.nestedPath !== undefined) checkNesting(matched, context.nestedPath);
  if (matched.length > 0) return { fields: matched, pattern };
  const raw: QueryField = {
    name: valueText(full),
    keywordOnly: false,
    date: false,
    nestedPath: undefined,
    unmapped: true,
  };
  return { fields: [raw], pattern };
}

function matchPattern(fields: FieldLookup, pattern: KqlWildcard): readonly QueryField[] {
  if (isLoneWildcard(pattern)) return fields.all;
  const matches = wildcardMatcher(pattern);
  return fields.all.filter((f) => matches(f.name));
}

function lookupOne(fields: FieldLookup, name: string): QueryField[] {
  const found = fields.byName.get(name);
  return found === undefined ? [] : [found];
}

function withNestedPath(field: KqlField, nestedPath: string | undefined): KqlField {
  if (nestedPath === undefined) return field;
  if (field.type === 'literal') return { ...field, value: `${nestedPath}.${field.value}` };
  const [first = '', ...rest] = field.parts;
  return { type: 'wildcard', parts: [`${nestedPath}.${first}`, ...rest] };
}

function checkNesting(fields: readonly QueryField[], nestedPath: string | undefined): void {
  const errors: string[] = [];
  for (const field of fields) {
    if (nestedPath !== undefined && field.nestedPath === undefined) {
      errors.push(
        `${field.name} is not a nested field but is in nested group "${nestedPath}" in the KQL expression.`,
      );
    } else if (field.nestedPath !== undefined && nestedPath === undefined) {
      errors.push(`${field.name} is a nested field, but is not in a nested group in the KQL expression.`);
    } else if (field.nestedPath !== nestedPath) {
      errors.push(
        `Nested field ${field.name} is being queried with the incorrect nested path. The correct path is ${field.nestedPath ?? ''}.`,
      );
    }
  }
  if (errors.length > 0) throw new KqlCompileError(errors.join('\n'), { nestedPath: nestedPath ?? '' });
}

/** A pattern that reaches into a nested object gets a nested query of its own (outside nested groups). */
export function wrapNested(
  query: Dsl,
  field: QueryField,
  resolved: ResolvedFields,
  context: CompileContext,
): Dsl {
  if (!resolved.pattern || field.nestedPath === undefined || context.nestedPath !== undefined) return query;
  return { nested: { path: field.nestedPath, query, score_mode: 'none' } };
}

/** The clauses of one field expression: Kibana wraps them in a bool.should that needs one match. */
export function anyOf(clauses: readonly Dsl[]): Dsl {
  return { bool: { should: clauses, minimum_should_match: 1 } };
}
