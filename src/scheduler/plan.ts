import type { RunWarning, RunWindow } from '../ruleTypes/types';
import { mainWindow } from '../ruleTypes/windows';

export interface WindowPlan {
  /** oldest first: catch-up windows, then the main window */
  readonly windows: readonly RunWindow[];
  /** the part of the time since the checkpoint that max_catch_up leaves uncovered */
  readonly gap?: { readonly ms: number; readonly from: Date; readonly to: Date };
  readonly warnings: readonly RunWarning[];
  /** the checkpoint once every window has run */
  readonly coveredTo: Date;
}

export interface PlanInput {
  readonly rule: { readonly from: string; readonly to: string; readonly intervalMs: number };
  /** the scheduled tick: date math resolves against it */
  readonly tick: Date;
  /** the end of the last covered window; undefined before the rule's first run */
  readonly checkpoint: Date | undefined;
  readonly maxCatchUpMs: number;
}

function duration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s}s`;
  if (s < 7200) return `${Math.round(s / 60)}m`;
  return `${(s / 3600).toFixed(1)}h`;
}

/**
 * The windows of one tick (pure). The main window is the rule's [from, to] resolved against the tick. Between
 * consecutive ticks, main windows overlap by (to - from) - interval (Kibana's look-back: 1 minute for the
 * default now-6m every 5m), which catches events that became searchable late. When the checkpoint minus that
 * overlap is older than the main window's start (missed ticks, downtime), catch-up windows of the rule's
 * window size cover the difference, oldest first, each with its own max_signals: a restart then covers exactly
 * what uninterrupted ticks would have. What lies beyond max_catch_up is not searched and is reported as a gap.
 * Before a rule's first run there is nothing to catch up (as in Kibana, a new rule starts with its main window).
 */
export function planWindows(input: PlanInput): WindowPlan {
  const main = mainWindow(input.rule, input.tick);
  const checkpoint = input.checkpoint;
  const coveredTo = new Date(Math.max(main.to.getTime(), checkpoint?.getTime() ?? 0));
  const size = Math.max(1000, main.to.getTime() - main.from.getTime());
  const overlap = Math.max(0, size - input.rule.intervalMs);
  if (checkpoint === undefined || checkpoint.getTime() - overlap >= main.from.getTime())
    return { windows: [main], warnings: [], coveredTo };
  const earliest = main.from.getTime() - input.maxCatchUpMs;
  const start = Math.max(checkpoint.getTime() - overlap, earliest);
  const windows: RunWindow[] = [];
  for (let t = start; t < main.from.getTime(); t += size) {
    windows.push({
      from: new Date(t),
      to: new Date(Math.min(t + size, main.from.getTime())),
      kind: 'catch-up',
    });
  }
  windows.push(main);
  if (start <= checkpoint.getTime()) return { windows, warnings: [], coveredTo };
  const gap = { ms: start - checkpoint.getTime(), from: checkpoint, to: new Date(start) };
  return {
    windows,
    gap,
    coveredTo,
    warnings: [
      {
        code: 'gap',
        message:
          `${duration(gap.ms)} not covered (${gap.from.toISOString()} .. ${gap.to.toISOString()}): ` +
          `the rule was last run up to ${checkpoint.toISOString()} and catches up at most ${duration(input.maxCatchUpMs)}`,
      },
    ],
  };
}

/** The tick a rule with `intervalMs` is due at, at `nowMs`: ticks are multiples of the interval since the
 * epoch, so every replica and every restart agrees on them and windows are reproducible. */
export function dueTick(nowMs: number, intervalMs: number): number {
  return Math.floor(nowMs / intervalMs) * intervalMs;
}
