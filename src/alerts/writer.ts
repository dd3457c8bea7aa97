import type { Client } from '@elastic/elasticsearch';
import { toEsError } from '../es/errors';
import type { BuiltAlert } from './build';

export interface WriteResult {
  readonly created: number;
  /** already in the alerts index (looked up before writing, or a 409 on create) */
  readonly duplicates: number;
  /** alerts that could not be written, with Elasticsearch's reason */
  readonly failed: readonly { readonly id: string; readonly status: number; readonly reason: string }[];
  readonly tookMs: number;
}

const TRANSIENT = new Set([429, 502, 503, 504]);

export interface WriterOptions {
  readonly index: string;
  /** attempts for items that failed transiently (429/5xx) inside a successful bulk; default 3 */
  readonly attempts?: number;
  readonly refresh?: boolean | 'wait_for';
  readonly sleep?: (ms: number) => Promise<void>;
}

/** Ids among `ids` that already exist in the alerts index. */
export async function existingIds(
  client: Client,
  index: string,
  ids: readonly string[],
): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  try {
    const res = await client.mget({ index, ids: [...ids], _source: false });
    return new Set(res.docs.flatMap((d) => ('found' in d && d.found ? [d._id] : [])));
  } catch (err) {
    const e = toEsError(err, 'look up existing alerts', { index });
    if ('status' in e && e.status === 404) return new Set(); // no alerts index yet
    throw e;
  }
}

/**
 * Writes alerts with bulk `create` and their deterministic ids: a 409 is a duplicate, never an error. No
 * alert is dropped silently: item failures are retried when transient and otherwise returned with their
 * reason, so the run can be marked partial failure. Request-level failures (cluster unreachable) throw.
 */
export async function writeAlerts(
  client: Client,
  alerts: readonly BuiltAlert[],
  options: WriterOptions,
): Promise<WriteResult> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const attempts = options.attempts ?? 3;
  let pending = [...alerts];
  let created = 0;
  let duplicates = 0;
  let tookMs = 0;
  let failed: { id: string; status: number; reason: string }[] = [];
  for (let attempt = 1; pending.length > 0 && attempt <= attempts; attempt++) {
    if (attempt > 1) await sleep(200 * 2 ** (attempt - 2));
    const operations = pending.flatMap((a) => [{ create: { _index: options.index, _id: a.id } }, a.doc]);
    let res;
    try {
      res = await client.bulk({ operations, refresh: options.refresh ?? false });
    } catch (err) {
      throw toEsError(err, 'write alerts', { index: options.index });
    }
    tookMs += res.took;
    const retry: BuiltAlert[] = [];
    failed = [];
    res.items.forEach((item, i) => {
      const r = item.create;
      const alert = pending[i];
      if (r === undefined || alert === undefined) return;
      if (r.status === 201) created++;
      else if (r.status === 409) duplicates++;
      else if (TRANSIENT.has(r.status) && attempt < attempts) retry.push(alert);
      else
        failed.push({
          id: alert.id,
          status: r.status,
          reason: `${r.error?.type ?? 'error'}: ${r.error?.reason ?? ''}`,
        });
    });
    pending = retry;
  }
  return { created, duplicates, failed, tookMs };
}
