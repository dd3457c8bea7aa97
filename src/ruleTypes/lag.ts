import { getPath } from '../alerts/sourcePath';

/** Ingest lags of one alerted event (DESIGN.md §7): event.ingested − @timestamp, alert time − event.ingested. */
export function ingestLag(
  source: unknown,
  alertTime: Date,
): { eventToIngestMs?: number; ingestToAlertMs?: number } {
  const parse = (v: unknown): number | undefined => {
    const first: unknown = Array.isArray(v) ? v[0] : v;
    if (typeof first !== 'string') return undefined;
    const ms = Date.parse(first);
    return Number.isNaN(ms) ? undefined : ms;
  };
  const ingested = parse(getPath(source, 'event.ingested'));
  const timestamp = parse(getPath(source, '@timestamp'));
  const out: { eventToIngestMs?: number; ingestToAlertMs?: number } = {};
  if (ingested !== undefined && timestamp !== undefined) out.eventToIngestMs = ingested - timestamp;
  if (ingested !== undefined) out.ingestToAlertMs = alertTime.getTime() - ingested;
  return out;
}
