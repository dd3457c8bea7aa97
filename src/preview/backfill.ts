import type { RunnableRule } from '../rules';
import { runRule, type RunResult } from '../ruleTypes/runner';
import type { AlertSummary, RunDeps, RunWindow, WindowOutcome } from '../ruleTypes/types';
import { consecutiveWindows } from '../ruleTypes/windows';

/** A window count above this is refused: a backfill of years in 1-minute windows is almost surely a typo. */
export const MAX_PREVIEW_WINDOWS = 100_000;

export interface PreviewOptions {
  readonly from: Date;
  readonly to: Date;
  /** write alerts and an execution record; false (default): dry run, nothing is written */
  readonly write: boolean;
  readonly executionsIndex: string;
  readonly kdwVersion: string;
  readonly onWindow?: (outcome: WindowOutcome, done: number, total: number) => void;
}

/** An alert of the preview and the window that found it. */
export interface PreviewAlert extends AlertSummary {
  readonly window: { readonly from: string; readonly to: string };
}

export interface PreviewSummary {
  readonly windows: number;
  /** windows that ran (fewer than `windows` when one failed: the run stops there) */
  readonly windowsRun: number;
  readonly hits: number;
  readonly alerts: number;
  /** alerts already in the alerts index, or found again by the next window (bounds are inclusive) */
  readonly duplicates: number;
  readonly tookMs: number;
}

export interface PreviewResult {
  readonly alerts: readonly PreviewAlert[];
  readonly summary: PreviewSummary;
  readonly warnings: readonly string[];
  /** why a window failed; the windows after it did not run */
  readonly error?: string;
  readonly run: RunResult;
}

/** The windows of a backfill: consecutive windows of the rule's interval over [from, to], oldest first. */
export function previewWindows(rule: RunnableRule, from: Date, to: Date): RunWindow[] {
  const count = Math.ceil((to.getTime() - from.getTime()) / rule.intervalMs);
  if (count > MAX_PREVIEW_WINDOWS) {
    throw new RangeError(
      `${count} windows of ${rule.interval} between ${from.toISOString()} and ${to.toISOString()}: ` +
        `the limit is ${MAX_PREVIEW_WINDOWS}; preview a shorter range`,
    );
  }
  return consecutiveWindows(from, to, rule.intervalMs);
}

/**
 * Runs a rule over a past range in consecutive windows of its interval (a backfill), as the worker would have
 * run it. Without `write`, deps must be a dry run: alerts are built and reported, nothing is written, not even
 * the execution record. Alerts found by two windows (an event on a shared bound) are reported once.
 */
export async function previewRule(
  rule: RunnableRule,
  deps: RunDeps,
  options: PreviewOptions,
): Promise<PreviewResult> {
  if (!options.write && deps.dryRun !== true)
    throw new Error('previewRule: without write, deps.dryRun must be set');
  const started = Date.now();
  const windows = previewWindows(rule, options.from, options.to);
  const run = await runRule(rule, windows, deps, {
    executionsIndex: options.executionsIndex,
    trigger: 'manual',
    scheduledAt: options.to,
    kdwVersion: options.kdwVersion,
    workerId: 'preview',
    recordExecution: options.write,
    ...(options.onWindow === undefined ? {} : { onWindow: options.onWindow }),
  });
  const seen = new Set<string>();
  const alerts: PreviewAlert[] = [];
  let repeated = 0;
  for (const outcome of run.outcomes) {
    const window = { from: outcome.window.from.toISOString(), to: outcome.window.to.toISOString() };
    for (const alert of outcome.alerts) {
      if (seen.has(alert.id)) repeated += 1;
      else {
        seen.add(alert.id);
        alerts.push({ ...alert, window });
      }
    }
  }
  const sum = (f: (o: WindowOutcome) => number): number => run.outcomes.reduce((n, o) => n + f(o), 0);
  const recordWarning =
    run.recordError === undefined ? [] : [`execution record not written: ${run.recordError.message}`];
  return {
    alerts,
    summary: {
      windows: windows.length,
      windowsRun: run.outcomes.length,
      hits: sum((o) => o.hits),
      alerts: alerts.length,
      duplicates: sum((o) => o.duplicates) + repeated,
      tookMs: Date.now() - started,
    },
    warnings: [...run.record.warnings, ...recordWarning],
    ...(run.error === undefined ? {} : { error: run.error.message }),
    run,
  };
}
