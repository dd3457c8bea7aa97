import { randomUUID } from 'node:crypto';
import { KdwError } from '../errors';
import type { Logger } from '../observability/logger';
import type { WorkerMetrics } from '../observability/metrics';
import type { RunnableRule } from '../rules';
import { buildExecutionRecord, writeExecutionRecord } from '../ruleTypes/executionRecord';
import { runRule, type RunResult } from '../ruleTypes/runner';
import type { RunDeps } from '../ruleTypes/types';
import type { CheckpointStore } from './checkpoints';
import type { LeaseStore } from './leases';
import { planWindows } from './plan';
import type { TickOutcome } from './scheduler';

export interface TickDeps {
  readonly runDeps: RunDeps;
  readonly leases: LeaseStore;
  readonly checkpoints: CheckpointStore;
  readonly metrics: WorkerMetrics;
  readonly logger: Logger;
  readonly executionsIndex: string;
  readonly maxCatchUpMs: number;
  readonly leaseTtlMs: number;
  readonly workerId: string;
  readonly kdwVersion: string;
}

function asKdwError(err: unknown, ruleId: string): KdwError {
  return err instanceof KdwError
    ? err
    : new KdwError('tick_failed', err instanceof Error ? err.message : String(err), { rule: ruleId });
}

/** The lease a rule needs: the configured TTL, and at least two of its intervals so a tick renews it in time. */
export function leaseTtlFor(rule: RunnableRule, leaseTtlMs: number): number {
  return Math.max(leaseTtlMs, 2 * rule.intervalMs);
}

/**
 * One tick of one rule: take or renew its lease (only the owner runs it), read its checkpoint, plan the main
 * and catch-up windows, run them, and only then move the checkpoint. A failed run leaves the checkpoint where
 * it was, so the next tick covers the same time again; deterministic alert ids make that harmless.
 */
export function createTickExecutor(deps: TickDeps): (rule: RunnableRule, tick: Date) => Promise<TickOutcome> {
  return async (rule, tick) => {
    const log = deps.logger.child({ rule: { id: rule.ruleId, name: rule.name } });
    let checkpoint: Date | undefined;
    try {
      if (!(await deps.leases.acquire(rule.ruleId, leaseTtlFor(rule, deps.leaseTtlMs)))) {
        log.debug('not the owner of this rule: another replica runs it');
        return 'not-owner';
      }
      deps.metrics.rulesOwned.set(deps.leases.ownedCount);
      checkpoint = await deps.checkpoints.get(rule.ruleId);
    } catch (err) {
      return recordFailure(deps, rule, tick, asKdwError(err, rule.ruleId), log);
    }
    const plan = planWindows({ rule, tick, checkpoint, maxCatchUpMs: deps.maxCatchUpMs });
    const result = await runRule(rule, plan.windows, deps.runDeps, {
      executionsIndex: deps.executionsIndex,
      trigger: 'scheduled',
      scheduledAt: tick,
      kdwVersion: deps.kdwVersion,
      workerId: deps.workerId,
      extraWarnings: plan.warnings,
      ...(plan.gap === undefined ? {} : { gap: plan.gap }),
    });
    deps.metrics.recordRun(rule.ruleId, result);
    let advanced = false;
    if (result.error === undefined) {
      try {
        await deps.checkpoints.advance(rule.ruleId, plan.coveredTo);
        advanced = true;
        if (plan.gap !== undefined) deps.metrics.recordGap(rule.ruleId, plan.gap.ms);
      } catch (err) {
        const error = asKdwError(err, rule.ruleId);
        deps.metrics.errors.inc({ rule_id: rule.ruleId, code: 'checkpoint_failed' });
        log.error(`checkpoint not moved (the next tick covers these windows again): ${error.message}`, {
          error: { type: error.code, message: error.message },
        });
      }
    }
    logRun(log, result, advanced);
    if (result.error !== undefined) return result.error.retryable ? 'unavailable' : 'failed';
    return advanced ? 'ran' : 'unavailable';
  };
}

function logRun(log: Logger, result: RunResult, advanced: boolean): void {
  const { record } = result;
  const fields = {
    event: {
      action: 'rule-run',
      outcome: record.status === 'failed' ? 'failure' : 'success',
      duration: record.durations.total_ms * 1_000_000,
    },
    kdw: {
      run: { id: record.run.id, scheduled_at: record.run.scheduled_at, status: record.status },
      windows: record.windows,
      counts: record.counts,
      warnings: record.warnings,
      checkpoint_moved: advanced,
      ...(record.gap === undefined ? {} : { gap: record.gap }),
    },
  };
  const message = `rule run ${record.status}: ${record.message}`;
  if (record.status === 'failed') log.error(message, fields);
  else if (record.status === 'partial failure') log.warn(message, fields);
  else log.info(message, fields);
  if (result.recordError !== undefined)
    log.error(`execution record not written: ${result.recordError.message}`, {
      error: { type: result.recordError.code, message: result.recordError.message },
    });
}

/** A tick that failed before it could run (lease or checkpoint unreadable): recorded, or at least logged. */
async function recordFailure(
  deps: TickDeps,
  rule: RunnableRule,
  tick: Date,
  error: KdwError,
  log: Logger,
): Promise<TickOutcome> {
  deps.metrics.errors.inc({ rule_id: rule.ruleId, code: error.code });
  deps.metrics.runs.inc({ rule_id: rule.ruleId, status: 'failed' });
  const now = deps.runDeps.now();
  const record = buildExecutionRecord({
    rule,
    runId: randomUUID(),
    trigger: 'scheduled',
    scheduledAt: tick,
    startedAt: now,
    endedAt: now,
    outcomes: [],
    kdwVersion: deps.kdwVersion,
    workerId: deps.workerId,
    error: { type: error.code, reason: error.message },
  });
  const fields = { error: { type: error.code, message: error.message }, kdw: { run: { id: record.run.id } } };
  try {
    await writeExecutionRecord(deps.runDeps.client, deps.executionsIndex, record);
    log.error(`rule run failed before its windows: ${error.message}`, fields);
  } catch {
    log.error(
      `rule run failed before its windows, and its execution record could not be written: ${error.message}`,
      fields,
    );
  }
  return error.retryable ? 'unavailable' : 'failed';
}
