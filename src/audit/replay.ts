import type { DocSink, PendingDoc, Unindexed } from './bulkSink';
import { parseAuditLine, type BadRecord } from './events';
import { readLines, type LineReaderOptions } from './lines';
import { transformAuditEvent, type JsonObject, type TransformResult } from './transform';

/**
 * `kdw replay`: raw apiserver audit events (JSON lines) → integration documents → a DocSink, streaming.
 * Memory is bounded by one batch per in-flight request plus the batch being filled: the reader only pulls
 * the next chunk when the sink has room.
 *
 * Time: `--now` shifts every event by the same amount so that the first event that carries its own time
 * lands at the moment the replay started; the spacing between events is kept. `--speed x` sends events
 * at their own pace divided by x (1 = real time); without it, as fast as Elasticsearch takes them.
 */
export interface ReplayOptions {
  readonly namespace: string;
  /** shift timestamps so the first event is at the start of the replay */
  readonly now?: boolean;
  /** real-time factor; undefined = as fast as possible */
  readonly speed?: number;
  /**
   * `now` (default): event.ingested is the index time, as the integration sets it (the sink stamps it).
   * `event`: event.ingested = @timestamp, for loading history that rules with timestamp_override =
   * event.ingested must see in the past (a 7-day new_terms baseline); give the sink stampIngested false.
   */
  readonly ingested?: 'now' | 'event';
  /** documents per bulk request (default 2000) */
  readonly batchDocs?: number;
  /** approximate bytes per bulk request (default 5 MB) */
  readonly batchBytes?: number;
  /** bad records listed in the summary (all are counted); default 100 */
  readonly maxListed?: number;
  readonly lines?: LineReaderOptions;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  /** called about once a second */
  readonly onProgress?: (progress: ReplayProgress) => void;
}

export interface ReplayProgress {
  readonly lines: number;
  readonly events: number;
  readonly bad: number;
  readonly elapsedMs: number;
}

export interface ReplaySummary {
  readonly lines_read: number;
  readonly empty_lines: number;
  /** valid audit events (an EventList line counts its items) */
  readonly events: number;
  readonly indexed: number;
  readonly unindexed: number;
  readonly unindexed_listed: readonly Unindexed[];
  /** bad lines, and bad items of EventList lines */
  readonly bad: number;
  readonly bad_listed: readonly BadRecord[];
  /** events with no requestReceivedTimestamp, stageTimestamp or timestamp: @timestamp is the read time */
  readonly without_own_time: number;
  readonly retries: number;
  readonly bulk_requests: number;
  readonly first_event_time?: string;
  readonly last_event_time?: string;
  readonly shift_ms: number;
  readonly duration_ms: number;
  readonly events_per_s: number;
  /** set when a request-level failure stopped the replay */
  readonly aborted?: string;
}

/** true for a line of only whitespace, without copying it as trim() would */
function isBlank(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** In --speed mode a partly filled batch is sent before a pause this long, or once it is this old. */
const SPEED_FLUSH_PAUSE_MS = 200;
const SPEED_FLUSH_AGE_MS = 1000;

export async function replay(
  input: AsyncIterable<string | Buffer>,
  sink: DocSink,
  options: ReplayOptions,
): Promise<ReplaySummary> {
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const batchDocs = options.batchDocs ?? 2000;
  const batchBytes = options.batchBytes ?? 5 * 1024 * 1024;
  const maxListed = options.maxListed ?? 100;
  const started = clock();
  let shiftMs = 0;
  let firstOwnMs: number | undefined;
  let firstWall = started;
  let lines = 0;
  let empty = 0;
  let events = 0;
  let bad = 0;
  const badListed: BadRecord[] = [];
  let withoutTime = 0;
  let firstTime: number | undefined;
  let lastTime: number | undefined;
  let batch: PendingDoc[] = [];
  let bytes = 0;
  let batchOpened = 0;
  let lastProgress = started;

  const flush = async (): Promise<void> => {
    if (batch.length === 0) return;
    const full = batch;
    batch = [];
    bytes = 0;
    await sink.add(full);
  };
  const reportBad = (record: BadRecord): void => {
    bad++;
    if (badListed.length < maxListed) badListed.push(record);
  };

  const pace = async (ownMs: number): Promise<void> => {
    if (options.speed === undefined || firstOwnMs === undefined) return;
    const wait = firstWall + (ownMs - firstOwnMs) / options.speed - clock();
    if (wait <= 0) return;
    if (wait >= SPEED_FLUSH_PAUSE_MS || clock() - batchOpened >= SPEED_FLUSH_AGE_MS) await flush();
    await sleep(wait);
  };

  const take = async (raw: JsonObject, ref: PendingDoc['ref'], textBytes: number): Promise<void> => {
    // read time: of the chunk when replaying at full speed (one clock reading per chunk), else of the event
    const now = options.speed === undefined ? chunkTime : new Date(clock());
    const transform = (): TransformResult =>
      transformAuditEvent(raw, { ingested: now, readTime: now, namespace: options.namespace, shiftMs });
    let result = transform();
    if (!result.ok) {
      reportBad({ ...ref, reason: result.reason });
      return;
    }
    const own = result.ownMs;
    if (own !== undefined && firstOwnMs === undefined) {
      firstOwnMs = own;
      firstWall = clock();
      if (options.now === true) {
        shiftMs = started - own;
        result = transform();
        if (!result.ok) return;
      }
    }
    if (own !== undefined) await pace(own);
    events++;
    if (options.ingested === 'event') {
      const event = result.doc['event'];
      if (typeof event === 'object' && event !== null)
        (event as JsonObject)['ingested'] = result.doc['@timestamp'];
    }
    if (result.timestampSource === 'readTime') withoutTime++;
    const ts = own === undefined ? now.getTime() : own + shiftMs;
    if (firstTime === undefined || ts < firstTime) firstTime = ts;
    if (lastTime === undefined || ts > lastTime) lastTime = ts;
    if (batch.length === 0) batchOpened = clock();
    batch.push({ doc: result.doc, ref });
    bytes += textBytes;
    if (batch.length >= batchDocs || bytes >= batchBytes) await flush();
  };

  // one clock reading per chunk for event.ingested's first value (the sink stamps the send time anyway)
  let chunkTime = new Date(started);
  for await (const records of readLines(input, options.lines)) {
    chunkTime = new Date(clock());
    for (const record of records) {
      lines++;
      if (record.kind === 'tooLong') {
        reportBad({ line: record.lineNo, reason: `line too long (${record.chars} characters)` });
        continue;
      }
      if (isBlank(record.text)) {
        empty++;
        continue;
      }
      const parsed = parseAuditLine(record.text, record.lineNo, record.terminated);
      parsed.bad.forEach(reportBad);
      const perEvent =
        parsed.events.length > 1 ? record.text.length / parsed.events.length : record.text.length;
      for (const [i, raw] of parsed.events.entries()) {
        const item = parsed.items?.[i];
        const ref = item === undefined ? { line: record.lineNo } : { line: record.lineNo, item };
        await take(raw, ref, perEvent);
      }
    }
    if (sink.failed) break;
    const now = clock();
    if (options.onProgress !== undefined && now - lastProgress >= 1000) {
      lastProgress = now;
      options.onProgress({ lines, events, bad, elapsedMs: now - started });
    }
  }
  if (!sink.failed) await flush();
  const result = await sink.close();
  const duration = clock() - started;
  return {
    lines_read: lines,
    empty_lines: empty,
    events,
    indexed: result.indexed,
    // every valid event that did not reach the index: refused items, and a batch left behind by an abort
    unindexed: events - result.indexed,
    unindexed_listed: result.unindexed,
    bad,
    bad_listed: badListed,
    without_own_time: withoutTime,
    retries: result.retries,
    bulk_requests: result.requests,
    ...(firstTime === undefined ? {} : { first_event_time: new Date(firstTime).toISOString() }),
    ...(lastTime === undefined ? {} : { last_event_time: new Date(lastTime).toISOString() }),
    shift_ms: shiftMs,
    duration_ms: duration,
    events_per_s: duration > 0 ? Math.round((result.indexed * 1000) / duration) : result.indexed,
    ...(result.fatal === undefined ? {} : { aborted: result.fatal.message }),
  };
}
