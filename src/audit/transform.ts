/**
 * Raw Kubernetes apiserver audit events (audit.k8s.io v1 and v1beta1 `Event`) to the documents that Elastic's
 * Kubernetes integration indexes (DESIGN.md §9). Pure: the clock comes in as `ingested`/`readTime`.
 */
import { isIP } from 'node:net';

export type JsonObject = { [key: string]: unknown };

export type TimestampSource = 'requestReceivedTimestamp' | 'stageTimestamp' | 'timestamp' | 'readTime';

export interface TransformOptions {
  /** value of event.ingested */
  readonly ingested: Date;
  /** @timestamp for an event that carries no time of its own */
  readonly readTime: Date;
  /** data_stream.namespace (default "default") */
  readonly namespace?: string;
  /** added to @timestamp and the event's own times (replay --now) */
  readonly shiftMs?: number;
}

export type TransformResult =
  | {
      readonly ok: true;
      readonly doc: JsonObject;
      readonly timestampSource: TimestampSource;
      /** the event's own time before any shift, epoch ms (undefined: it has none) */
      readonly ownMs: number | undefined;
    }
  | { readonly ok: false; readonly reason: string };

const DECISION_KEY = 'authorization.k8s.io/decision';

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isAuditEvent(value: unknown): value is JsonObject {
  return (
    isObject(value) &&
    value['kind'] === 'Event' &&
    typeof value['apiVersion'] === 'string' &&
    value['apiVersion'].startsWith('audit.k8s.io/')
  );
}

const TIME_KEYS = ['requestReceivedTimestamp', 'stageTimestamp', 'timestamp'] as const;

/**
 * The event's own time in epoch milliseconds and where it came from: requestReceivedTimestamp, else
 * stageTimestamp, else the v1beta1 `timestamp`; undefined when it carries none that parses.
 */
export function eventTime(
  raw: JsonObject,
): { readonly ms: number; readonly source: TimestampSource } | undefined {
  for (const key of TIME_KEYS) {
    const value = raw[key];
    if (typeof value === 'string') {
      const ms = Date.parse(value);
      if (!Number.isNaN(ms)) return { ms, source: key };
    }
  }
  return undefined;
}

function shiftTime(value: unknown, shiftMs: number): unknown {
  if (shiftMs === 0 || typeof value !== 'string') return value;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? value : new Date(ms + shiftMs).toISOString();
}

export function transformAuditEvent(raw: unknown, options: TransformOptions): TransformResult {
  if (!isObject(raw)) return { ok: false, reason: 'not a JSON object' };
  if (!isAuditEvent(raw)) return { ok: false, reason: 'not an audit.k8s.io Event (kind/apiVersion)' };
  const shiftMs = options.shiftMs ?? 0;
  const audit: JsonObject = { ...raw };
  if (shiftMs !== 0)
    for (const key of TIME_KEYS) if (key in audit) audit[key] = shiftTime(audit[key], shiftMs);
  for (const key of ['requestObject', 'responseObject'] as const) {
    const obj = audit[key];
    if (isObject(obj) && 'metadata' in obj) {
      const { metadata: _dropped, ...rest } = obj;
      audit[key] = rest;
    }
  }

  const event: JsonObject = {
    kind: 'event',
    dataset: 'kubernetes.audit_logs',
    module: 'kubernetes',
    ingested: options.ingested.toISOString(),
  };
  if (typeof raw['verb'] === 'string' && raw['verb'] !== '') event['action'] = raw['verb'];

  const annotations = raw['annotations'];
  if (isObject(annotations)) {
    const renamed: JsonObject = {};
    for (const [key, value] of Object.entries(annotations)) renamed[key.replaceAll('.', '_')] = value;
    audit['annotations'] = renamed;
    const decision = annotations[DECISION_KEY];
    if (decision === 'allow') event['outcome'] = 'success';
    else if (decision === 'forbid') event['outcome'] = 'failure';
  }

  const doc: JsonObject = {};
  const own = eventTime(raw);
  const timestampSource: TimestampSource = own?.source ?? 'readTime';
  doc['@timestamp'] = new Date(
    own === undefined ? options.readTime.getTime() : own.ms + shiftMs,
  ).toISOString();
  doc['event'] = event;
  doc['data_stream'] = {
    type: 'logs',
    dataset: 'kubernetes.audit_logs',
    namespace: options.namespace ?? 'default',
  };
  doc['ecs'] = { version: '8.11.0' };

  const user = raw['user'];
  if (isObject(user)) {
    const ecsUser: JsonObject = {};
    if (typeof user['username'] === 'string' && user['username'] !== '') ecsUser['name'] = user['username'];
    if (typeof user['uid'] === 'string' && user['uid'] !== '') ecsUser['id'] = user['uid'];
    if (Object.keys(ecsUser).length > 0) doc['user'] = ecsUser;
  }
  if (typeof raw['userAgent'] === 'string' && raw['userAgent'] !== '')
    doc['user_agent'] = { original: raw['userAgent'] };
  const ips = Array.isArray(raw['sourceIPs'])
    ? raw['sourceIPs'].filter((v): v is string => typeof v === 'string')
    : [];
  // as the pipeline's `convert` to ip with ignore_failure: one address that does not parse drops the copy
  if (ips.length > 0 && ips.every((v) => isIP(v) !== 0)) {
    const ip = ips.length === 1 ? ips[0] : ips;
    doc['source'] = { ip };
    doc['client'] = { ip };
  }
  const requestObject = audit['requestObject'];
  if (isObject(requestObject) && isObject(requestObject['spec'])) {
    const containers = requestObject['spec']['containers'];
    if (Array.isArray(containers)) {
      const images = containers.flatMap((c) =>
        isObject(c) && typeof c['image'] === 'string' ? [c['image']] : [],
      );
      if (images.length > 0) doc['container'] = { image: { name: images.length === 1 ? images[0] : images } };
    }
  }
  doc['kubernetes'] = { audit };
  return { ok: true, doc, timestampSource, ownMs: own?.ms };
}
