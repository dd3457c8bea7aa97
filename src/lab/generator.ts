import type { JsonObject } from '../audit/transform';
import { BASELINE_ACTORS } from './actors';
import { PERIODIC } from './periodic';
import { auditEvent } from './auditEvent';
import { createRng } from './random';
import { SCENARIOS, scenarioEvents, type Scenario } from './scenarios';

/**
 * The lab's Kubernetes audit traffic as raw apiserver audit events (what `kdw replay` reads): a baseline
 * of ordinary requests over a time span at a given rate, and the attack scenarios and near misses of
 * ./scenarios. Deterministic: the same options give the same events, byte for byte. Pure and lazy: a
 * generator of events in time order, so a week or a gigabyte never sits in memory.
 */
export interface BaselineOptions {
  readonly fromMs: number;
  readonly toMs: number;
  /** mean requests per second of the random traffic (the periodic ones come on top) */
  readonly ratePerSecond: number;
  readonly seed: number;
}

/** Default rate: 7 days at 0.5/s is about 300,000 events (about 230 MB of JSON lines). */
export const DEFAULT_RATE = 0.5;
export const DEFAULT_SEED = 20221309;

export function* generateBaseline(options: BaselineOptions): Generator<JsonObject> {
  if (!(options.ratePerSecond > 0)) throw new RangeError('ratePerSecond must be > 0');
  const rng = createRng(options.seed);
  const meanGapMs = 1000 / options.ratePerSecond;
  let nextRandom = options.fromMs + rng.exponential(meanGapMs);
  // when each periodic source is due (on its grid), and when it actually runs (a little later, as cron jobs do)
  const due = PERIODIC.map((p) => {
    const first = Math.ceil((options.fromMs - p.offsetMs) / p.everyMs) * p.everyMs + p.offsetMs;
    return first < options.fromMs ? first + p.everyMs : first;
  });
  const runs = due.map((t) => t + rng.int(0, 30_000));
  for (;;) {
    let which = -1;
    let at = nextRandom;
    runs.forEach((t, i) => {
      if (t < at) {
        at = t;
        which = i;
      }
    });
    if (at >= options.toMs) return;
    const periodic = PERIODIC[which];
    const dueAt = due[which];
    if (periodic === undefined || dueAt === undefined) {
      const call = rng.weighted(BASELINE_ACTORS)(rng);
      yield auditEvent(Math.floor(at), call.caller, call.request, rng);
      nextRandom += rng.exponential(meanGapMs);
    } else {
      const call = periodic.call(rng);
      yield auditEvent(Math.floor(at), call.caller, call.request, rng);
      due[which] = dueAt + periodic.everyMs;
      runs[which] = dueAt + periodic.everyMs + rng.int(0, 30_000);
    }
  }
}

/** The scenario events, the first at `atMs`, with the scenario each belongs to. */
export function generateScenarios(
  atMs: number,
  seed: number = DEFAULT_SEED,
  scenarios: readonly Scenario[] = SCENARIOS,
): { scenario: Scenario; event: JsonObject }[] {
  return scenarioEvents(atMs, createRng(seed ^ 0x5ca1ab1e), scenarios);
}
