import type { Logger } from '../observability/logger';
import type { Clock } from './clock';
import type { Limiter } from './limiter';
import { dueTick } from './plan';

export interface SchedulableRule {
  readonly ruleId: string;
  readonly intervalMs: number;
}

/** How one tick of one rule ended; the scheduler only uses it to back off. */
export type TickOutcome = 'ran' | 'not-owner' | 'skipped' | 'failed' | 'unavailable';

export type TickExecutor<R> = (rule: R, tick: Date) => Promise<TickOutcome>;

export interface SchedulerOptions<R> {
  readonly clock: Clock;
  readonly limiter: Limiter;
  readonly execute: TickExecutor<R>;
  readonly logger: Logger;
  /** longest pause of a rule after consecutive "cluster unavailable" ticks (default 30 s) */
  readonly maxBackoffMs?: number;
}

interface RuleState<R> {
  rule: R;
  lastTick: number;
  running: Promise<void> | undefined;
  failures: number;
  notBefore: number;
}

/**
 * Runs each rule at the epoch-aligned ticks of its interval. No two runs of one rule overlap: a tick that
 * comes while the previous run is busy starts as soon as it ends (the checkpoint makes its windows cover the
 * time in between). All runs share the global concurrency cap. After a tick that found the cluster
 * unreachable, the rule pauses with exponential backoff (its next run catches up); the client itself retries
 * requests, the scheduler never repeats them.
 */
export class Scheduler<R extends SchedulableRule> {
  private readonly states = new Map<string, RuleState<R>>();
  private started = false;
  private stopping: Promise<{ unfinished: number }> | undefined;
  private readonly maxBackoffMs: number;

  constructor(private readonly options: SchedulerOptions<R>) {
    this.maxBackoffMs = options.maxBackoffMs ?? 30_000;
  }

  get size(): number {
    return this.states.size;
  }

  get inFlight(): number {
    return [...this.states.values()].filter((s) => s.running !== undefined).length;
  }

  rules(): R[] {
    return [...this.states.values()].map((s) => s.rule);
  }

  /** Adds a rule or replaces its definition; the next tick uses the new one, a running one finishes. */
  upsert(rule: R): void {
    const state = this.states.get(rule.ruleId);
    if (state === undefined) {
      // a new rule runs at once (see beat)
      this.states.set(rule.ruleId, {
        rule,
        lastTick: -Infinity,
        running: undefined,
        failures: 0,
        notBefore: 0,
      });
    } else {
      state.rule = rule;
    }
  }

  remove(ruleId: string): void {
    this.states.delete(ruleId);
  }

  start(): void {
    if (this.started) throw new Error('the scheduler is already started');
    if (this.stopping !== undefined) throw new Error('the scheduler was stopped; create a new one');
    this.started = true;
    this.options.clock.start(() => this.beat());
    this.beat();
  }

  /** Starts the runs that are due. Called by the clock every second. */
  beat(): void {
    if (this.stopping !== undefined) return;
    const now = this.options.clock.now();
    for (const state of this.states.values()) {
      // A rule's first run is now, as Kibana runs a newly enabled rule at once with startedAt = now (the
      // window [now-6m, now] then covers what arrived just before the worker started); later runs are on
      // ticks aligned to the interval, which every replica and every restart agrees on.
      const tick = state.lastTick === -Infinity ? now : dueTick(now, state.rule.intervalMs);
      if (tick <= state.lastTick || state.running !== undefined || now < state.notBefore) continue;
      state.lastTick = tick;
      state.running = this.runTick(state, new Date(tick)).finally(() => {
        state.running = undefined;
      });
    }
  }

  private async runTick(state: RuleState<R>, tick: Date): Promise<void> {
    const outcome = await this.options.limiter.run(async (): Promise<TickOutcome> => {
      if (this.stopping !== undefined) return 'skipped';
      try {
        return await this.options.execute(state.rule, tick);
      } catch (err) {
        // executors never throw; if one does, the rule keeps its schedule and the error is logged
        this.options.logger.error(`tick of rule ${state.rule.ruleId} failed unexpectedly`, { err });
        return 'failed';
      }
    });
    if (outcome === 'unavailable') {
      state.failures++;
      const pause = Math.min(1000 * 2 ** (state.failures - 1), this.maxBackoffMs);
      state.notBefore = this.options.clock.now() + pause;
    } else if (outcome !== 'skipped') {
      state.failures = 0;
      state.notBefore = 0;
    }
  }

  /**
   * Stops scheduling and waits up to `timeoutMs` for the runs in flight (queued ones do not start).
   * Idempotent: a second call returns the first one's result.
   */
  stop(timeoutMs: number): Promise<{ unfinished: number }> {
    this.stopping ??= (async () => {
      this.options.clock.stop();
      const running = [...this.states.values()].flatMap((s) => (s.running === undefined ? [] : [s.running]));
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
      });
      const result = await Promise.race([Promise.allSettled(running).then(() => 'done' as const), timeout]);
      clearTimeout(timer);
      return { unfinished: result === 'done' ? 0 : this.inFlight };
    })();
    return this.stopping;
  }
}
