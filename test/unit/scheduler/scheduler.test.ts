import { silentLogger } from '../../../src/observability/logger';
import type { Clock } from '../../../src/scheduler/clock';
import { Limiter } from '../../../src/scheduler/limiter';
import { Scheduler, type TickOutcome } from '../../../src/scheduler/scheduler';

/** A clock the test moves by hand. */
function manualClock(start: number): Clock & { set(ms: number): void; started: boolean } {
  let now = start;
  let beat: (() => void) | undefined;
  return {
    started: false,
    now: () => now,
    start(onBeat) {
      beat = onBeat;
      this.started = true;
    },
    stop() {
      beat = undefined;
      this.started = false;
    },
    set(ms) {
      now = ms;
      beat?.();
    },
  };
}

function deferred(): { promise: Promise<TickOutcome>; resolve: (o: TickOutcome) => void } {
  let resolve: (o: TickOutcome) => void = () => undefined;
  const promise = new Promise<TickOutcome>((r) => (resolve = r));
  return { promise, resolve };
}

const flush = () => new Promise((r) => setImmediate(r));
const rule = (ruleId: string, intervalMs = 10_000) => ({ ruleId, intervalMs });

describe('Scheduler', () => {
  it('runs a new rule at once, now, then at every aligned tick', async () => {
    const clock = manualClock(105_000);
    const ticks: number[] = [];
    const s = new Scheduler({
      clock,
      limiter: new Limiter(2),
      logger: silentLogger(),
      execute: async (_r, tick) => {
        ticks.push(tick.getTime());
        return 'ran';
      },
    });
    s.upsert(rule('a'));
    s.start();
    await flush();
    clock.set(109_999);
    await flush();
    clock.set(110_000);
    await flush();
    clock.set(131_000); // 120_000 was missed by the clock: the next run is at 130_000, its windows catch up
    await flush();
    expect(ticks).toEqual([105_000, 110_000, 130_000]);
    expect(() => s.start()).toThrow('already started');
    await s.stop(1000);
  });

  it('never overlaps runs of one rule: a due tick waits until the run in flight ends', async () => {
    const clock = manualClock(0);
    const runs: { tick: number; done: ReturnType<typeof deferred> }[] = [];
    const s = new Scheduler({
      clock,
      limiter: new Limiter(4),
      logger: silentLogger(),
      execute: (_r, tick) => {
        const done = deferred();
        runs.push({ tick: tick.getTime(), done });
        return done.promise;
      },
    });
    s.upsert(rule('a'));
    s.start();
    clock.set(10_000);
    clock.set(20_000);
    expect(runs.map((r) => r.tick)).toEqual([0]);
    runs[0]?.done.resolve('ran');
    await flush();
    clock.set(20_500);
    expect(runs.map((r) => r.tick)).toEqual([0, 20_000]);
    runs[1]?.done.resolve('ran');
    await s.stop(1000);
  });

  it('caps concurrent runs over all rules', async () => {
    const clock = manualClock(0);
    let active = 0;
    let peak = 0;
    const s = new Scheduler({
      clock,
      limiter: new Limiter(2),
      logger: silentLogger(),
      execute: async () => {
        active++;
        peak = Math.max(peak, active);
        await new Promise((r) => setTimeout(r, 20));
        active--;
        return 'ran';
      },
    });
    for (const id of ['a', 'b', 'c', 'd', 'e']) s.upsert(rule(id));
    s.start();
    await new Promise((r) => setTimeout(r, 150));
    expect(peak).toBe(2);
    await s.stop(1000);
  });

  it('backs off a rule after ticks that found the cluster unavailable, and resets after a good one', async () => {
    const clock = manualClock(0);
    const ticks: number[] = [];
    let outcome: TickOutcome = 'unavailable';
    const s = new Scheduler({
      clock,
      limiter: new Limiter(1),
      logger: silentLogger(),
      maxBackoffMs: 4000,
      execute: async (_r, tick) => {
        ticks.push(tick.getTime());
        return outcome;
      },
    });
    s.upsert(rule('a', 1000));
    s.start();
    await flush(); // ran at 0, failed: pause 1 s
    for (const t of [500, 1000, 1500]) {
      clock.set(t);
      await flush();
    }
    // at 1000: pause ended; failed again: pause 2 s, until 3000
    for (const t of [2000, 2999, 3000]) {
      clock.set(t);
      await flush();
    }
    outcome = 'ran';
    for (const t of [7000, 8000, 9000]) {
      clock.set(t);
      await flush();
    }
    expect(ticks).toEqual([0, 1000, 3000, 7000, 8000, 9000]);
    await s.stop(1000);
  });

  it('stop() waits for runs in flight up to the timeout, starts no queued run, and is idempotent', async () => {
    const clock = manualClock(0);
    const started: string[] = [];
    const first = deferred();
    const s = new Scheduler({
      clock,
      limiter: new Limiter(1),
      logger: silentLogger(),
      execute: (r) => {
        started.push(r.ruleId);
        return r.ruleId === 'a' ? first.promise : Promise.resolve('ran');
      },
    });
    s.upsert(rule('a'));
    s.upsert(rule('b'));
    s.start();
    const stopping = s.stop(5000);
    expect(s.stop(10)).toBe(stopping);
    setTimeout(() => first.resolve('ran'), 30);
    expect(await stopping).toEqual({ unfinished: 0 });
    expect(started).toEqual(['a']);
    expect(clock.started).toBe(false);

    const hung = new Scheduler({
      clock: manualClock(0),
      limiter: new Limiter(1),
      logger: silentLogger(),
      execute: () => new Promise<TickOutcome>(() => undefined),
    });
    hung.upsert(rule('x'));
    hung.start();
    expect(await hung.stop(50)).toEqual({ unfinished: 1 });
  });

  it('takes a changed rule at its next tick and forgets a removed one', async () => {
    const clock = manualClock(0);
    const seen: string[] = [];
    const s = new Scheduler<{ ruleId: string; intervalMs: number; v: number }>({
      clock,
      limiter: new Limiter(1),
      logger: silentLogger(),
      execute: async (r, tick) => {
        seen.push(`${r.ruleId}@${tick.getTime()}v${r.v}`);
        return 'ran';
      },
    });
    s.upsert({ ruleId: 'a', intervalMs: 10_000, v: 1 });
    s.start();
    await flush();
    s.upsert({ ruleId: 'a', intervalMs: 10_000, v: 2 });
    clock.set(10_000);
    await flush();
    s.remove('a');
    clock.set(20_000);
    await flush();
    expect(seen).toEqual(['a@0v1', 'a@10000v2']);
    await s.stop(100);
  });
});
