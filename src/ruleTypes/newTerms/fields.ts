import type { FieldTypesSnapshot, RunWarning } from '../types';

/** Types whose values cannot be aggregated (no doc values). */
const NOT_AGGREGATABLE = new Set([
  'text',
  'match_only_text',
  'annotated_text',
  'search_as_you_type',
  'binary',
  'object',
  'nested',
]);

/** How the values of the new_terms fields are read: aggregations on these names, or `_source`. */
export type TermsAccess =
  | { readonly kind: 'aggregate'; readonly fields: readonly string[] }
  | { readonly kind: 'source'; readonly fields: readonly string[]; readonly textFields: ReadonlySet<string> }
  | { readonly kind: 'unmapped'; readonly field: string };

function aggregatable(types: ReadonlySet<string> | undefined): boolean {
  return types !== undefined && types.size > 0 && [...types].every((t) => !NOT_AGGREGATABLE.has(t));
}

/**
 * Decides, from _field_caps, how to read each new_terms field (DESIGN.md §2, §5). Kibana's run fails when a
 * field cannot be aggregated; kdw uses a keyword sub-field where every index has one, else reads the exact
 * values from _source, and says so in a warning that names the field and the indices. Never silently empty.
 */
export function termsAccess(
  fields: readonly string[],
  snapshot: FieldTypesSnapshot,
): { access: TermsAccess; warnings: RunWarning[] } {
  const warnings: RunWarning[] = [];
  const aggFields: string[] = [];
  const textFields = new Set<string>();
  for (const field of fields) {
    const types = snapshot.types.get(field);
    if (types === undefined) {
      return {
        access: { kind: 'unmapped', field },
        warnings: [
          {
            code: 'non_aggregatable_field',
            message: `new_terms field ${field} is not mapped in any of ${snapshot.indices.join(', ')}: no new terms can be found`,
          },
        ],
      };
    }
    if (aggregatable(types)) {
      aggFields.push(field);
      continue;
    }
    const textIndices = [...snapshot.indicesByType(field).entries()]
      .filter(([type]) => NOT_AGGREGATABLE.has(type))
      .flatMap(([, indices]) => indices);
    const sub = [...snapshot.types.entries()].find(
      ([name, subTypes]) =>
        name.startsWith(`${field}.`) &&
        !name.slice(field.length + 1).includes('.') &&
        subTypes.size === 1 &&
        subTypes.has('keyword'),
    )?.[0];
    const subEverywhere =
      sub !== undefined &&
      (snapshot.indicesByType(sub).get('keyword')?.length ?? 0) === snapshot.indices.length;
    if (subEverywhere) {
      aggFields.push(sub);
      warnings.push({
        code: 'non_aggregatable_field',
        message: `new_terms field ${field} is ${[...types].join('/')} in ${textIndices.join(', ')} and cannot be aggregated: used its keyword sub-field ${sub}`,
      });
    } else {
      textFields.add(field);
      aggFields.push(field);
      warnings.push({
        code: 'non_aggregatable_field',
        message: `new_terms field ${field} is ${[...types].join('/')} in ${textIndices.join(', ')} and cannot be aggregated: its exact values were read from _source`,
      });
    }
  }
  if (textFields.size > 0) return { access: { kind: 'source', fields: [...fields], textFields }, warnings };
  return { access: { kind: 'aggregate', fields: aggFields }, warnings };
}
