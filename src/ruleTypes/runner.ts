import { randomUUID } from 'node:crypto';
import { KdwError } from '../errors';
import type { RunnableRule } from '../rules';
import { buildExecutionRecord, writeExecutionRecord, type ExecutionRecord } from './executionRecord';
import { executorFor } from './registry';
import type { RunDeps, RunWarning, RunWindow, WindowOutcome } from './types';

export interface RunOptions {
  readonly executionsIndex: string;
  readonly trigger: 'scheduled' | 'manual';
  /** the tick the run belongs to; date math of the main window resolves against it */
  readonly scheduledAt: Date;
  readonly kdwVersion: string;
  readonly workerId: string;
  readonly extraWarnings?: readonly RunWarning[];
  readonly gap?: { readonly ms: number; readonly from: Date; readonly to: Date };
  /** false: build the record but do not write it (preview without --write, rule tests); default true */
  readonly recordExecution?: boolean;
  /** called after each window, oldest first, with how many of the windows are done (progress bars) */
  readonly onWindow?: (outcome: WindowOutcome, done: number, total: number) => void;
}

export interface RunResult {
  readonly record: ExecutionRecord;
  readonly outcomes: readonly WindowOutcome[];
  /** the error that failed the run, if any (also in the record) */
  readonly error?: KdwError;
  /** the execution record could not be written (the run itself may have succeeded) */
  readonly recordError?: KdwError;
}

/**
 * Runs one rule over its windows, oldest first, each with its own max_signals, and records the run. A
 * failure of one window fails the run (with its reason) but never throws: a bad rule or an unreachable
 * cluster is reported, and the other rules keep running.
 */
export async function runRule(
  rule: RunnableRule,
  windows: readonly RunWindow[],
  deps: RunDeps,
  options: RunOptions,
): Promise<RunResult> {
  const startedAt = deps.now();
  const run = { executionUuid: randomUUID(), startedAt: options.scheduledAt };
  const outcomes: WindowOutcome[] = [];
  let error: KdwError | undefined;
  try {
    const executor = executorFor(rule);
    for (const window of [...windows].sort((a, b) => a.from.getTime() - b.from.getTime())) {
      const outcome = await executor.runWindow(rule, window, run, deps);
      outcomes.push(outcome);
      options.onWindow?.(outcome, outcomes.length, windows.length);
    }
  } catch (err) {
    error =
      err instanceof KdwError
        ? err
        : new KdwError(
            'run_failed',
            err instanceof Error ? err.message : String(err),
            { rule: rule.ruleId },
            { cause: err },
          );
  }
  const record = buildExecutionRecord({
    rule,
    runId: run.executionUuid,
    trigger: options.trigger,
    scheduledAt: options.scheduledAt,
    startedAt,
    endedAt: deps.now(),
    outcomes,
    kdwVersion: options.kdwVersion,
    workerId: options.workerId,
    ...(options.extraWarnings === undefined ? {} : { extraWarnings: options.extraWarnings }),
    ...(options.gap === undefined ? {} : { gap: options.gap }),
    ...(error === undefined ? {} : { error: { type: error.code, reason: error.message } }),
  });
  let recordError: KdwError | undefined;
  try {
    if (options.recordExecution !== false)
      await writeExecutionRecord(deps.client, options.executionsIndex, record, deps.refresh ?? false);
  } catch (err) {
    recordError = err instanceof KdwError ? err : new KdwError('record_failed', String(err));
  }
  return {
    record,
    outcomes,
    ...(error === undefined ? {} : { error }),
    ...(recordError === undefined ? {} : { recordError }),
  };
}
