import type { estypes } from '@elastic/elasticsearch';

/**
 * Field name → the Elasticsearch types it has across the indices of a pattern (as `_field_caps` reports
 * them; "unmapped" is left out). A field absent from the map is not mapped in any index.
 */
export type FieldTypes = ReadonlyMap<string, ReadonlySet<string>>;

/** Field types of a `_field_caps` response. */
export function fieldTypesFromFieldCaps(response: Pick<estypes.FieldCapsResponse, 'fields'>): FieldTypes {
  const out = new Map<string, Set<string>>();
  for (const [name, byType] of Object.entries(response.fields)) {
    const types = new Set(Object.keys(byType).filter((t) => t !== 'unmapped'));
    if (types.size > 0) out.set(name, types);
  }
  return out;
}

type MappingNode = { readonly type?: unknown; readonly properties?: unknown; readonly fields?: unknown };

/**
 * Field types of a `GET <index>/_mapping` response (`{index: {mappings: {properties}}}`), of one index's
 * `mappings`, or of a bare `properties` object. Types of the same field in several indices are merged.
 */
export function fieldTypesFromMapping(response: unknown): FieldTypes {
  const out = new Map<string, Set<string>>();
  const add = (name: string, type: string): void => {
    const set = out.get(name) ?? new Set<string>();
    set.add(type);
    out.set(name, set);
  };
  const walk = (properties: unknown, prefix: string): void => {
    if (!isObject(properties)) return;
    for (const [key, raw] of Object.entries(properties)) {
      if (!isObject(raw)) continue;
      const node = raw as MappingNode;
      const name = `${prefix}${key}`;
      const type =
        typeof node.type === 'string' ? node.type : isObject(node.properties) ? 'object' : undefined;
      if (type !== undefined) add(name, type);
      walk(node.properties, `${name}.`);
      // multi-fields (`fields: {text: {type: text}}`) become name.sub
      if (isObject(node.fields)) {
        for (const [sub, subNode] of Object.entries(node.fields)) {
          if (isObject(subNode) && typeof subNode['type'] === 'string')
            add(`${name}.${sub}`, subNode['type']);
        }
      }
    }
  };
  const visitMappings = (mappings: unknown): void => {
    if (isObject(mappings)) walk(mappings['properties'], '');
  };
  if (!isObject(response)) return out;
  if ('properties' in response) visitMappings(response);
  else if ('mappings' in response) visitMappings(response['mappings']);
  else for (const index of Object.values(response)) if (isObject(index)) visitMappings(index['mappings']);
  return out;
}

/** Reads either a `_field_caps` or a `_mapping` response (the CLI's --mapping file). */
export function fieldTypesFromJson(json: unknown): FieldTypes {
  if (isObject(json) && isObject(json['fields']) && Array.isArray(json['indices'])) {
    return fieldTypesFromFieldCaps(json as unknown as Pick<estypes.FieldCapsResponse, 'fields'>);
  }
  return fieldTypesFromMapping(json);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
