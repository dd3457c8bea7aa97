import { resolveDateMath } from '../rules';
import type { RunWindow } from './types';

/**
 * The main window of a run: `from`/`to` date math resolved against the run's fixed start (Kibana resolves
 * them once per run, against the moment the task started; kdw uses the scheduled tick, so windows are
 * reproducible).
 */
export function mainWindow(rule: { readonly from: string; readonly to: string }, startedAt: Date): RunWindow {
  return {
    from: resolveDateMath(rule.from, startedAt),
    to: resolveDateMath(rule.to, startedAt),
    kind: 'main',
  };
}

/** Consecutive windows of `intervalMs` covering [from, to] (preview and backfills); the last may be shorter. */
export function consecutiveWindows(from: Date, to: Date, intervalMs: number): RunWindow[] {
  const out: RunWindow[] = [];
  for (let start = from.getTime(); start < to.getTime(); start += intervalMs) {
    out.push({
      from: new Date(start),
      to: new Date(Math.min(start + intervalMs, to.getTime())),
      kind: 'manual',
    });
  }
  return out;
}
