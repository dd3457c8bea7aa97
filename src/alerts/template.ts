import type { estypes } from '@elastic/elasticsearch';
import { kdwVersion } from '../cli/version';
import { alertsMappings } from './fieldMap';

/**
 * Index templates of kdw's own indices. Both are plain indices, not data streams: a concrete index makes
 * `create` with kdw's deterministic ids answer 409 for a duplicate, and the Elasticsearch build of the tests
 * cannot delete data streams (DESIGN.md §10). index_patterns is the index name plus '*', so a later
 * `<name>-000002` would get the same mapping.
 */
export const DEFAULT_ALERTS_INDEX = 'kdw-alerts-default';
export const DEFAULT_EXECUTIONS_INDEX = 'kdw-executions-default';

export interface KdwTemplateOptions {
  /** the concrete index; the template is named after it and matches `<index>*` */
  readonly index?: string;
  /** 0 (default) on a single node, or the cluster stays yellow */
  readonly replicas?: number;
  /** kdw's version in _meta (default: package.json's) */
  readonly version?: string;
}

type Template = estypes.IndicesPutIndexTemplateRequest;
type Properties = Record<string, estypes.MappingProperty>;

function template(
  index: string,
  options: KdwTemplateOptions,
  description: string,
  mappings: estypes.MappingTypeMapping,
): Template {
  return {
    name: index,
    index_patterns: [`${index}*`],
    priority: 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
      mappings,
    },
    _meta: { managed_by: 'kdw', version: options.version ?? kdwVersion(), description },
  };
}

export function alertsIndexTemplate(options: KdwTemplateOptions = {}): Template {
  return template(
    options.index ?? DEFAULT_ALERTS_INDEX,
    options,
    "kdw's detection alerts, in Kibana's alert document schema",
    alertsMappings(),
  );
}

const keyword: estypes.MappingProperty = { type: 'keyword', ignore_above: 1024 };
const keywordWithText: estypes.MappingProperty = { ...keyword, fields: { text: { type: 'text' } } };
const date: estypes.MappingProperty = { type: 'date' };
const long: estypes.MappingProperty = { type: 'long' };

function object(properties: Properties): estypes.MappingProperty {
  return { properties };
}

function longs(...names: string[]): Properties {
  return Object.fromEntries(names.map((n) => [n, long]));
}

/** min/max/avg of one lag over the alerts of a run, in milliseconds */
const lagStats = object(longs('min', 'max', 'avg'));

/**
 * One document per rule run (DESIGN.md §7), so a Kibana dashboard can show rule health. dynamic: false: a
 * field a newer kdw adds before the template is updated is kept in _source instead of failing the record.
 */
export function executionsMappings(): estypes.MappingTypeMapping {
  return {
    dynamic: false,
    properties: {
      '@timestamp': date,
      rule: object({ id: keyword, uuid: keyword, name: keywordWithText, type: keyword }),
      run: object({
        id: keyword,
        // scheduled | manual (run-once)
        trigger: keyword,
        scheduled_at: date,
        started_at: date,
        ended_at: date,
      }),
      // succeeded | partial failure | failed
      status: keyword,
      message: { type: 'text' },
      warnings: keywordWithText,
      windows: {
        type: 'nested',
        // kind: main | catch-up
        properties: { from: date, to: date, kind: keyword },
      },
      durations: object(longs('search_ms', 'indexing_ms', 'total_ms', 'es_took_ms')),
      counts: object(
        longs('hits', 'candidates', 'alerts_created', 'duplicates_skipped', 'alerts_not_written'),
      ),
      gap: object({ ms: long, from: date, to: date }),
      error: object({ type: keyword, reason: keywordWithText }),
      // ingest lag (DESIGN.md §7): event.ingested − @timestamp, and alert time − event.ingested
      lag: object({ event_to_ingest_ms: lagStats, ingest_to_alert_ms: lagStats }),
      kdw: object({ version: keyword, worker_id: keyword }),
      host: object({ name: keyword }),
    },
  };
}

export function executionsIndexTemplate(options: KdwTemplateOptions = {}): Template {
  return template(
    options.index ?? DEFAULT_EXECUTIONS_INDEX,
    options,
    "kdw's rule execution records",
    executionsMappings(),
  );
}
