import type { Client, estypes } from '@elastic/elasticsearch';
import { FieldCapsService } from '../../src/es/fieldCaps';
import { compileQuery, DETECTION_ENGINE_TIME_ZONE, type QueryLanguage } from '../../src/kql';

/** One conformance case: a rule query and the ids of exactly the documents it must match. */
export interface ConformanceCase {
  readonly query: string;
  readonly expected: readonly string[];
  readonly language?: QueryLanguage;
}

/** Where the cases run: an index pattern, and the field that names each document. */
export interface ConformanceTarget {
  readonly index: string;
  readonly idField: string;
}

/**
 * Compiles the query with the field types that `_field_caps` reports for the target (read through the
 * FieldCapsService as the kdw user), runs it as the kdw user, and returns the matching ids, sorted.
 */
export async function matchingIds(
  kdw: Client,
  fieldCaps: FieldCapsService,
  target: ConformanceTarget,
  testCase: ConformanceCase,
): Promise<string[]> {
  const fieldTypes = await fieldCaps.fieldTypes(target.index);
  const query = compileQuery({
    language: testCase.language ?? 'kuery',
    query: testCase.query,
    fieldTypes,
    timeZone: DETECTION_ENGINE_TIME_ZONE,
  });
  const res = await kdw.search({
    index: target.index,
    query,
    size: 500,
    _source: false,
    fields: [target.idField],
  });
  return res.hits.hits.map((hit) => String(hit.fields?.[target.idField]?.[0] ?? `?${hit._id ?? ''}`)).sort();
}

/** A plain index of its own (logs-*, so the kdw user may read it), created by the admin. */
export async function createIndex(
  admin: Client,
  index: string,
  properties: Record<string, estypes.MappingProperty>,
  docs: readonly Record<string, unknown>[],
): Promise<void> {
  await admin.indices.create({
    index,
    settings: { number_of_shards: 1, number_of_replicas: 0 },
    mappings: { dynamic: false, properties },
  });
  if (docs.length === 0) return;
  const res = await admin.bulk({
    operations: docs.flatMap((doc) => [{ create: { _index: index } }, doc]),
    refresh: true,
  });
  if (res.errors)
    throw new Error(`bulk into ${index} failed: ${JSON.stringify(res.items.find((i) => i.create?.error))}`);
}
