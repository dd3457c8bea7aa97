import type { Client, estypes } from '@elastic/elasticsearch';
import { fieldTypesFromFieldCaps, type FieldTypes } from '../kql/fieldTypes';
import { toEsError } from './errors';

export interface FieldCapsServiceOptions {
  /** a snapshot older than this is fetched again whatever the probe says (default 10 minutes) */
  readonly ttlMs?: number;
  /**
   * how often at most a get() checks, with one cheap cluster-state request, whether indices appeared or
   * disappeared or a mapping changed (default 30 s; 0 checks on every get)
   */
  readonly checkIntervalMs?: number;
  readonly now?: () => number;
}

export const FIELD_CAPS_DEFAULTS = { ttlMs: 10 * 60_000, checkIntervalMs: 30_000 } as const;

/** The field types of one index pattern at one moment. */
export interface FieldCapsSnapshot {
  /** the pattern(s), comma-separated, as requested */
  readonly pattern: string;
  readonly fieldTypes: FieldTypes;
  /** the concrete indices the pattern matched */
  readonly indices: readonly string[];
  readonly fetchedAt: number;
  /** for one field: each type and the indices that map the field with it ("text in [a, b]") */
  indicesByType(field: string): ReadonlyMap<string, readonly string[]>;
}

interface Entry {
  snapshot: FieldCapsSnapshot;
  /** index names and mapping versions at fetch time; undefined when the probe is not allowed */
  signature: string | undefined;
  checkedAt: number;
}

/**
 * Field types per index pattern from `_field_caps`, cached. A cached pattern is fetched again when its TTL
 * ends, when `refresh()` is called, or when the periodic probe (index names and mapping versions from the
 * cluster state's metadata) differs from the one taken at fetch time, i.e. an index appeared or disappeared or
 * a mapping changed. Concurrent callers of one pattern share one in-flight request: never more than one
 * `_field_caps` call per pattern per refresh.
 */
export class FieldCapsService {
  private readonly entries = new Map<string, Entry>();
  private readonly inFlight = new Map<string, Promise<FieldCapsSnapshot>>();
  private readonly ttlMs: number;
  private readonly checkIntervalMs: number;
  private readonly now: () => number;

  constructor(
    private readonly client: Client,
    options: FieldCapsServiceOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? FIELD_CAPS_DEFAULTS.ttlMs;
    this.checkIntervalMs = options.checkIntervalMs ?? FIELD_CAPS_DEFAULTS.checkIntervalMs;
    this.now = options.now ?? Date.now;
  }

  /** The snapshot of a pattern, fetched or re-validated as needed. */
  get(pattern: string | readonly string[]): Promise<FieldCapsSnapshot> {
    const key = patternKey(pattern);
    return this.shared(key, () => this.ensureFresh(key));
  }

  async fieldTypes(pattern: string | readonly string[]): Promise<FieldTypes> {
    return (await this.get(pattern)).fieldTypes;
  }

  /** Fetches a pattern again now (joining a fetch already under way rather than starting a second one). */
  refresh(pattern: string | readonly string[]): Promise<FieldCapsSnapshot> {
    const key = patternKey(pattern);
    return this.shared(key, () => this.fetch(key));
  }

  /** Forgets one pattern, or all: the next get() fetches. */
  invalidate(pattern?: string | readonly string[]): void {
    if (pattern === undefined) this.entries.clear();
    else this.entries.delete(patternKey(pattern));
  }

  private shared(key: string, run: () => Promise<FieldCapsSnapshot>): Promise<FieldCapsSnapshot> {
    const running = this.inFlight.get(key);
    if (running !== undefined) return running;
    const promise = run().finally(() => this.inFlight.delete(key));
    this.inFlight.set(key, promise);
    return promise;
  }

  private async ensureFresh(key: string): Promise<FieldCapsSnapshot> {
    const entry = this.entries.get(key);
    const now = this.now();
    if (entry === undefined || now - entry.snapshot.fetchedAt >= this.ttlMs) return this.fetch(key);
    if (now - entry.checkedAt < this.checkIntervalMs) return entry.snapshot;
    const signature = await this.probe(key);
    if (signature === undefined || signature !== entry.signature) {
      // a changed probe means new/removed indices or mappings; no probe at all means we cannot tell
      if (signature !== undefined || entry.signature !== undefined) return this.fetch(key);
    }
    entry.checkedAt = this.now();
    return entry.snapshot;
  }

  private async fetch(key: string): Promise<FieldCapsSnapshot> {
    const signature = await this.probe(key);
    let response: estypes.FieldCapsResponse;
    try {
      response = await this.client.fieldCaps({
        index: key,
        fields: '*',
        ignore_unavailable: true,
        allow_no_indices: true,
      });
    } catch (err) {
      throw toEsError(err, `read field types of ${key}`, { index: key });
    }
    const fetchedAt = this.now();
    const snapshot = toSnapshot(key, response, fetchedAt);
    this.entries.set(key, { snapshot, signature, checkedAt: fetchedAt });
    return snapshot;
  }

  /** Index names and mapping versions of the pattern; undefined when the user may not read cluster state. */
  private async probe(key: string): Promise<string | undefined> {
    try {
      const state = await this.client.cluster.state({
        metric: 'metadata',
        index: key,
        expand_wildcards: 'open',
        ignore_unavailable: true,
        allow_no_indices: true,
        filter_path: ['metadata.indices.*.mapping_version'],
      });
      return signatureOf(state);
    } catch {
      // without the monitor privilege only the TTL and refresh() renew the cache
      return undefined;
    }
  }
}

function patternKey(pattern: string | readonly string[]): string {
  const parts = typeof pattern === 'string' ? pattern.split(',') : pattern;
  return [...new Set(parts.map((p) => p.trim()).filter((p) => p !== ''))].join(',');
}

function signatureOf(state: unknown): string {
  const indices = (state as { metadata?: { indices?: Record<string, { mapping_version?: unknown }> } })
    .metadata?.indices;
  if (indices === undefined) return '';
  return Object.entries(indices)
    .map(([name, meta]) => `${name}@${String(meta.mapping_version ?? '')}`)
    .sort()
    .join(',');
}

function toSnapshot(
  pattern: string,
  response: estypes.FieldCapsResponse,
  fetchedAt: number,
): FieldCapsSnapshot {
  const indices = Array.isArray(response.indices) ? [...response.indices] : [response.indices];
  const fields = response.fields;
  return {
    pattern,
    fieldTypes: fieldTypesFromFieldCaps(response),
    indices,
    fetchedAt,
    indicesByType(field) {
      const out = new Map<string, readonly string[]>();
      for (const [type, caps] of Object.entries(fields[field] ?? {})) {
        if (type === 'unmapped') continue;
        out.set(type, caps.indices === undefined ? indices : [caps.indices].flat());
      }
      return out;
    },
  };
}
