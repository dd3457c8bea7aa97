import type { RunnableRule } from '../rules';
import type { PreviewResult } from './backfill';

/** The one-line summary a preview ends with. */
export function summaryLine(result: PreviewResult, write: boolean): string {
  const s = result.summary;
  const windows = s.windowsRun === s.windows ? `${s.windows}` : `${s.windowsRun} of ${s.windows}`;
  return (
    `${windows} window(s), ${s.hits} hit(s), ${s.alerts} alert(s) ${write ? 'written' : 'found (dry run: nothing written)'}, ` +
    `${s.duplicates} duplicate(s), ${(s.tookMs / 1000).toFixed(1)} s`
  );
}

/** The machine-readable preview (--json). */
export function previewJson(
  rule: RunnableRule,
  range: { readonly from: Date; readonly to: Date },
  write: boolean,
  result: PreviewResult,
): Record<string, unknown> {
  return {
    rule: {
      rule_id: rule.ruleId,
      name: rule.name,
      type: rule.type,
      file: rule.file,
      interval: rule.interval,
    },
    from: range.from.toISOString(),
    to: range.to.toISOString(),
    write,
    status: result.error === undefined ? 'ok' : 'failed',
    summary: {
      windows: result.summary.windows,
      windows_run: result.summary.windowsRun,
      hits: result.summary.hits,
      alerts: result.summary.alerts,
      duplicates: result.summary.duplicates,
      took_ms: result.summary.tookMs,
    },
    warnings: result.warnings,
    ...(result.error === undefined ? {} : { error: result.error }),
    alerts: result.alerts,
  };
}
