import type { Client } from '@elastic/elasticsearch';
import { toEsError } from '../es/errors';
import type { RunnableRule } from '../rules';
import { ruleUuid } from '../alerts/ids';
import type { RunWarning, WindowOutcome } from './types';

export type RunStatus = 'succeeded' | 'partial failure' | 'failed';

/** The record of one run of one rule (DESIGN.md §7), as stored in the executions index. */
export interface ExecutionRecord {
  readonly '@timestamp': string;
  readonly rule: { readonly id: string; readonly uuid: string; readonly name: string; readonly type: string };
  readonly run: {
    readonly id: string;
    readonly trigger: 'scheduled' | 'manual';
    readonly scheduled_at: string;
    readonly started_at: string;
    readonly ended_at: string;
  };
  readonly status: RunStatus;
  readonly message: string;
  readonly warnings: readonly string[];
  readonly windows: readonly { readonly from: string; readonly to: string; readonly kind: string }[];
  readonly durations: {
    readonly search_ms: number;
    readonly indexing_ms: number;
    readonly total_ms: number;
    readonly es_took_ms: number;
  };
  readonly counts: {
    readonly hits: number;
    readonly candidates: number;
    readonly alerts_created: number;
    readonly duplicates_skipped: number;
    readonly alerts_not_written: number;
  };
  readonly gap?: { readonly ms: number; readonly from: string; readonly to: string };
  readonly error?: { readonly type: string; readonly reason: string };
  readonly lag?: Record<string, { readonly min: number; readonly max: number; readonly avg: number }>;
  readonly kdw: { readonly version: string; readonly worker_id: string };
}

export interface RecordInput {
  readonly rule: RunnableRule;
  readonly runId: string;
  readonly trigger: 'scheduled' | 'manual';
  readonly scheduledAt: Date;
  readonly startedAt: Date;
  readonly endedAt: Date;
  readonly outcomes: readonly WindowOutcome[];
  readonly extraWarnings?: readonly RunWarning[];
  readonly error?: { readonly type: string; readonly reason: string };
  readonly gap?: { readonly ms: number; readonly from: Date; readonly to: Date };
  readonly kdwVersion: string;
  readonly workerId: string;
}

function stats(values: readonly number[]): { min: number; max: number; avg: number } | undefined {
  if (values.length === 0) return undefined;
  return {
    min: Math.min(...values),
    max: Math.max(...values),
    avg: Math.round(values.reduce((a, b) => a + b, 0) / values.length),
  };
}

/** Pure: the record of a run from its window outcomes. Any warning makes it a partial failure, as in Kibana. */
export function buildExecutionRecord(input: RecordInput): ExecutionRecord {
  const sum = (f: (o: WindowOutcome) => number): number => input.outcomes.reduce((n, o) => n + f(o), 0);
  const warnings = [...input.outcomes.flatMap((o) => o.warnings), ...(input.extraWarnings ?? [])];
  const status: RunStatus =
    input.error !== undefined ? 'failed' : warnings.length > 0 ? 'partial failure' : 'succeeded';
  const created = sum((o) => o.alertsCreated);
  const message =
    input.error !== undefined
      ? `${input.error.type}: ${input.error.reason}`
      : `${created} alert(s) created, ${sum((o) => o.duplicates)} duplicate(s) skipped, ${sum((o) => o.hits)} hit(s) in ${input.outcomes.length} window(s)` +
        (warnings.length > 0 ? `; ${warnings.length} warning(s)` : '');
  const lags = input.outcomes.flatMap((o) => o.lags);
  const eventToIngest = stats(
    lags.flatMap((l) => (l.eventToIngestMs === undefined ? [] : [l.eventToIngestMs])),
  );
  const ingestToAlert = stats(
    lags.flatMap((l) => (l.ingestToAlertMs === undefined ? [] : [l.ingestToAlertMs])),
  );
  const lag: Record<string, { min: number; max: number; avg: number }> = {};
  if (eventToIngest !== undefined) lag['event_to_ingest_ms'] = eventToIngest;
  if (ingestToAlert !== undefined) lag['ingest_to_alert_ms'] = ingestToAlert;
  return {
    '@timestamp': input.endedAt.toISOString(),
    rule: {
      id: input.rule.ruleId,
      uuid: ruleUuid(input.rule.ruleId),
      name: input.rule.name,
      type: input.rule.type,
    },
    run: {
      id: input.runId,
      trigger: input.trigger,
      scheduled_at: input.scheduledAt.toISOString(),
      started_at: input.startedAt.toISOString(),
      ended_at: input.endedAt.toISOString(),
    },
    status,
    message,
    warnings: warnings.map((w) => `${w.code}: ${w.message}`),
    windows: input.outcomes.map((o) => ({
      from: o.window.from.toISOString(),
      to: o.window.to.toISOString(),
      kind: o.window.kind,
    })),
    durations: {
      search_ms: sum((o) => o.searchMs),
      indexing_ms: sum((o) => o.indexingMs),
      total_ms: input.endedAt.getTime() - input.startedAt.getTime(),
      es_took_ms: sum((o) => o.esTookMs),
    },
    counts: {
      hits: sum((o) => o.hits),
      candidates: sum((o) => o.candidates),
      alerts_created: created,
      duplicates_skipped: sum((o) => o.duplicates),
      alerts_not_written: sum((o) => o.alertsNotWritten),
    },
    ...(input.gap === undefined
      ? {}
      : { gap: { ms: input.gap.ms, from: input.gap.from.toISOString(), to: input.gap.to.toISOString() } }),
    ...(input.error === undefined ? {} : { error: input.error }),
    ...(Object.keys(lag).length === 0 ? {} : { lag }),
    kdw: { version: input.kdwVersion, worker_id: input.workerId },
  };
}

export async function writeExecutionRecord(
  client: Client,
  index: string,
  record: ExecutionRecord,
  refresh = false,
): Promise<void> {
  try {
    await client.index({ index, id: `${record.rule.id}:${record.run.id}`, document: record, refresh });
  } catch (err) {
    throw toEsError(err, 'write execution record', { index, rule: record.rule.id });
  }
}
