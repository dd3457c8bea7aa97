import { dueTick, planWindows } from '../../../src/scheduler/plan';

const rule = { from: 'now-6m', to: 'now', intervalMs: 300_000 };
const T = new Date('2026-11-23T12:00:00.000Z');
const min = (m: number): Date => new Date(T.getTime() - m * 60_000);
const iso = (w: { from: Date; to: Date; kind: string }) => [w.from.toISOString(), w.to.toISOString(), w.kind];

describe('planWindows', () => {
  it('runs only the main window before the first run and when the checkpoint is within the look-back', () => {
    for (const checkpoint of [undefined, min(5), min(1), T]) {
      const plan = planWindows({ rule, tick: T, checkpoint, maxCatchUpMs: 86_400_000 });
      expect(plan.windows.map(iso)).toEqual([[min(6).toISOString(), T.toISOString(), 'main']]);
      expect(plan.gap).toBeUndefined();
      expect(plan.coveredTo).toEqual(T);
    }
  });

  it('covers the whole time since the checkpoint (and its look-back) in catch-up windows of the rule size, oldest first', () => {
    // uninterrupted ticks overlap by 1m (6m windows every 5m): the catch-up keeps that look-back
    const plan = planWindows({ rule, tick: T, checkpoint: min(20), maxCatchUpMs: 86_400_000 });
    expect(plan.windows.map(iso)).toEqual([
      [min(21).toISOString(), min(15).toISOString(), 'catch-up'],
      [min(15).toISOString(), min(9).toISOString(), 'catch-up'],
      [min(9).toISOString(), min(6).toISOString(), 'catch-up'],
      [min(6).toISOString(), T.toISOString(), 'main'],
    ]);
    expect(plan.gap).toBeUndefined();
    expect(plan.warnings).toEqual([]);
  });

  it('bounds the catch-up by max_catch_up and reports the rest as a gap', () => {
    const plan = planWindows({ rule, tick: T, checkpoint: min(60), maxCatchUpMs: 12 * 60_000 });
    expect(plan.windows.map(iso)).toEqual([
      [min(18).toISOString(), min(12).toISOString(), 'catch-up'],
      [min(12).toISOString(), min(6).toISOString(), 'catch-up'],
      [min(6).toISOString(), T.toISOString(), 'main'],
    ]);
    expect(plan.gap).toEqual({ ms: 42 * 60_000, from: min(60), to: min(18) });
    expect(plan.warnings).toEqual([
      {
        code: 'gap',
        message:
          '42m not covered (2026-11-23T11:00:00.000Z .. 2026-11-23T11:42:00.000Z): the rule was last run up to ' +
          '2026-11-23T11:00:00.000Z and catches up at most 12m',
      },
    ]);
  });

  it('with max_catch_up 0, everything before the main window is a gap', () => {
    const plan = planWindows({ rule, tick: T, checkpoint: min(10), maxCatchUpMs: 0 });
    expect(plan.windows.map((w) => w.kind)).toEqual(['main']);
    expect(plan.windows).toHaveLength(1);
    expect(plan.gap).toEqual({ ms: 4 * 60_000, from: min(10), to: min(6) });
  });

  it('never moves the checkpoint back', () => {
    const later = new Date(T.getTime() + 60_000);
    expect(planWindows({ rule, tick: T, checkpoint: later, maxCatchUpMs: 0 }).coveredTo).toEqual(later);
  });

  it('ticks are multiples of the interval since the epoch', () => {
    expect(dueTick(Date.parse('2026-11-23T12:04:59.999Z'), 300_000)).toBe(
      Date.parse('2026-11-23T12:00:00.000Z'),
    );
    expect(dueTick(Date.parse('2026-11-23T12:05:00.000Z'), 300_000)).toBe(
      Date.parse('2026-11-23T12:05:00.000Z'),
    );
    expect(dueTick(12_345, 10_000)).toBe(10_000);
  });
});
