import type { Client, estypes } from '@elastic/elasticsearch';
import { EsResponseError, toEsError } from '../es/errors';

const KEYWORD = { type: 'keyword' } as const;
const DATE = { type: 'date' } as const;

const MAPPINGS: Record<'checkpoints' | 'leases', estypes.MappingTypeMapping> = {
  checkpoints: {
    dynamic: 'strict',
    properties: { rule_id: KEYWORD, space: KEYWORD, covered_to: DATE, updated_at: DATE, worker_id: KEYWORD },
  },
  leases: {
    dynamic: 'strict',
    properties: { rule_id: KEYWORD, space: KEYWORD, owner: KEYWORD, expires_at: DATE, renewed_at: DATE },
  },
};

/**
 * Creates the checkpoints or leases index when it does not exist (another replica creating it at the same
 * moment is fine). Replicas 0-1: green on a single node, one replica as soon as there is a second node.
 */
export async function ensureStateIndex(
  client: Client,
  index: string,
  kind: 'checkpoints' | 'leases',
): Promise<void> {
  try {
    await client.indices.create({
      index,
      settings: { number_of_shards: 1, auto_expand_replicas: '0-1' },
      mappings: MAPPINGS[kind],
    });
  } catch (err) {
    const error = toEsError(err, `create the ${kind} index ${index}`, { index });
    if (error instanceof EsResponseError && error.type === 'resource_already_exists_exception') return;
    throw error;
  }
}

/** A document with its optimistic-concurrency handle, or undefined when it does not exist. */
export async function getVersioned<T>(
  client: Client,
  index: string,
  id: string,
  operation: string,
): Promise<{ doc: T; seqNo: number; primaryTerm: number } | undefined> {
  try {
    const res = await client.get<T>({ index, id }, { ignore: [404] });
    if (!res.found || res._source === undefined) return undefined;
    return { doc: res._source, seqNo: res._seq_no ?? 0, primaryTerm: res._primary_term ?? 0 };
  } catch (err) {
    throw toEsError(err, operation, { index, id });
  }
}

/** Writes `doc` if nobody wrote the document since (`expected`), or creates it; false on a conflict. */
export async function putVersioned(
  client: Client,
  index: string,
  id: string,
  doc: Record<string, unknown>,
  expected: { seqNo: number; primaryTerm: number } | undefined,
  operation: string,
): Promise<{ seqNo: number; primaryTerm: number } | undefined> {
  try {
    const res = await client.index({
      index,
      id,
      document: doc,
      ...(expected === undefined
        ? { op_type: 'create' as const }
        : { if_seq_no: expected.seqNo, if_primary_term: expected.primaryTerm }),
    });
    return { seqNo: res._seq_no ?? 0, primaryTerm: res._primary_term ?? 0 };
  } catch (err) {
    const error = toEsError(err, operation, { index, id });
    if (error instanceof EsResponseError && error.status === 409) return undefined;
    throw error;
  }
}
