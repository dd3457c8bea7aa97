import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { RunResult } from '../ruleTypes/runner';

const LAG_BUCKETS = [0.1, 0.5, 1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600, 4 * 3600, 24 * 3600];
const DURATION_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

/**
 * The worker's Prometheus metrics, in a registry of its own (never prom-client's global one), exposed on
 * /metrics. Labels are the rule id (bounded by the rule set), status and kind, never free text.
 */
export class WorkerMetrics {
  readonly registry = new Registry();
  readonly runs = new Counter({
    name: 'kdw_rule_runs_total',
    help: 'Rule runs by status (succeeded, partial failure, failed)',
    labelNames: ['rule_id', 'status'] as const,
    registers: [this.registry],
  });
  readonly runDuration = new Histogram({
    name: 'kdw_rule_run_duration_seconds',
    help: 'Wall time of one rule run, all its windows',
    labelNames: ['rule_id'] as const,
    buckets: DURATION_BUCKETS,
    registers: [this.registry],
  });
  readonly hits = new Counter({
    name: 'kdw_rule_hits_total',
    help: 'Matching events found',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly alerts = new Counter({
    name: 'kdw_rule_alerts_created_total',
    help: 'Alerts written',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'kdw_rule_duplicates_skipped_total',
    help: 'Alerts that existed already (overlapping or repeated windows)',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly gaps = new Counter({
    name: 'kdw_rule_gaps_total',
    help: 'Gaps: time ranges a rule could not cover',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly gapSeconds = new Counter({
    name: 'kdw_rule_gap_seconds_total',
    help: 'Length of the gaps',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'kdw_rule_errors_total',
    help: 'Failed runs and failed scheduling steps (lease, checkpoint, execution record) by error code',
    labelNames: ['rule_id', 'code'] as const,
    registers: [this.registry],
  });
  readonly catchUpWindows = new Counter({
    name: 'kdw_rule_catch_up_windows_total',
    help: 'Catch-up windows run after missed ticks or downtime',
    labelNames: ['rule_id'] as const,
    registers: [this.registry],
  });
  readonly ingestLag = new Histogram({
    name: 'kdw_ingest_lag_seconds',
    help: 'Lag of alerted events: stage event_to_ingest (event.ingested - @timestamp) and ingest_to_alert (alert time - event.ingested)',
    labelNames: ['rule_id', 'stage'] as const,
    buckets: LAG_BUCKETS,
    registers: [this.registry],
  });
  readonly rulesScheduled = new Gauge({
    name: 'kdw_rules_scheduled',
    help: 'Rules this worker schedules',
    registers: [this.registry],
  });
  readonly rulesOwned = new Gauge({
    name: 'kdw_rules_owned',
    help: 'Rules whose lease this worker holds',
    registers: [this.registry],
  });
  readonly runsInFlight = new Gauge({
    name: 'kdw_runs_in_flight',
    help: 'Rule runs executing now',
    registers: [this.registry],
  });
  readonly reloadErrors = new Counter({
    name: 'kdw_rule_reload_errors_total',
    help: 'Rule files that failed to load on a reload (the previous version keeps running)',
    registers: [this.registry],
  });

  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics !== false) collectDefaultMetrics({ register: this.registry, prefix: 'kdw_' });
  }

  /** Counts one run from its result (execution record and window outcomes). */
  recordRun(ruleId: string, result: RunResult): void {
    const { record } = result;
    this.runs.inc({ rule_id: ruleId, status: record.status });
    this.runDuration.observe({ rule_id: ruleId }, record.durations.total_ms / 1000);
    this.hits.inc({ rule_id: ruleId }, record.counts.hits);
    this.alerts.inc({ rule_id: ruleId }, record.counts.alerts_created);
    this.duplicates.inc({ rule_id: ruleId }, record.counts.duplicates_skipped);
    this.catchUpWindows.inc({ rule_id: ruleId }, record.windows.filter((w) => w.kind === 'catch-up').length);
    if (result.error !== undefined) this.errors.inc({ rule_id: ruleId, code: result.error.code });
    if (result.recordError !== undefined) this.errors.inc({ rule_id: ruleId, code: 'record_failed' });
    for (const lag of result.outcomes.flatMap((o) => o.lags)) {
      if (lag.eventToIngestMs !== undefined)
        this.ingestLag.observe(
          { rule_id: ruleId, stage: 'event_to_ingest' },
          Math.max(0, lag.eventToIngestMs) / 1000,
        );
      if (lag.ingestToAlertMs !== undefined)
        this.ingestLag.observe(
          { rule_id: ruleId, stage: 'ingest_to_alert' },
          Math.max(0, lag.ingestToAlertMs) / 1000,
        );
    }
  }

  recordGap(ruleId: string, ms: number): void {
    this.gaps.inc({ rule_id: ruleId });
    this.gapSeconds.inc({ rule_id: ruleId }, ms / 1000);
  }
}
