import { transformAuditEvent, type JsonObject } from '../audit/transform';
import type { RunnableRule } from '../rules';
import type { RunWindow } from '../ruleTypes/types';
import { consecutiveWindows, mainWindow } from '../ruleTypes/windows';
import { isTable } from './parseContext';
import type { FixtureEvent, RuleTestCase } from './types';

/** Windows beyond this mean fixtures far older than the rule's look-back: they belong under [[case.history]]. */
export const MAX_CASE_WINDOWS = 2000;

/** The documents of a case, in integration shape, with times counted back from `end`. Pure. */
export function fixtureDocs(c: RuleTestCase, end: Date, namespace: string): JsonObject[] {
  return [...c.history, ...c.events].map((event) => fixtureDoc(event, end, namespace));
}

function fixtureDoc(event: FixtureEvent, end: Date, namespace: string): JsonObject {
  const at = new Date(end.getTime() + event.atMs);
  const ingested = new Date(end.getTime() + event.ingestedMs);
  if (event.kind === 'ecs') {
    const doc = structuredClone(event.doc);
    const eventField = isTable(doc['event']) ? (doc['event'] as JsonObject) : {};
    return {
      ...doc,
      '@timestamp': at.toISOString(),
      event: { ...eventField, ingested: ingested.toISOString() },
    };
  }
  const raw = { ...event.doc, requestReceivedTimestamp: at.toISOString(), stageTimestamp: at.toISOString() };
  const result = transformAuditEvent(raw, { ingested, readTime: at, namespace });
  // parseEvent checked that it is an audit event, the only reason the transform refuses one
  if (!result.ok) throw new Error(`${event.key}: ${result.reason}`);
  return result.doc;
}

/**
 * The windows a case runs in: the rule's main window at the case's end, and before it consecutive windows of
 * the rule's interval back to the earliest event (not history), as the worker would have run them.
 */
export function caseWindows(rule: RunnableRule, c: RuleTestCase, end: Date): RunWindow[] {
  const main = mainWindow(rule, end);
  const offsets = c.events.flatMap((e) => [e.atMs, e.ingestedMs]);
  if (offsets.length === 0) return [main];
  const earliest = end.getTime() + Math.min(...offsets);
  if (earliest >= main.from.getTime()) return [main];
  const count = Math.ceil((main.from.getTime() - earliest) / rule.intervalMs);
  if (count > MAX_CASE_WINDOWS) {
    throw new RangeError(
      `${c.key}: its earliest event needs ${count} windows of ${rule.interval} (the limit is ${MAX_CASE_WINDOWS}); ` +
        'put old events under [[case.history]]',
    );
  }
  const start = new Date(main.from.getTime() - count * rule.intervalMs);
  return [...consecutiveWindows(start, main.from, rule.intervalMs), main];
}

/** Whether an index name is covered by one of a rule's index patterns (`*` wildcards; `-` exclusions honoured). */
export function patternsCover(patterns: readonly string[], index: string): boolean {
  const glob = (p: string): RegExp =>
    new RegExp(
      `^${p
        .split('*')
        .map((s) => s.replace(/[.+?^${}()|[\]\\]/g, '\\$&'))
        .join('.*')}$`,
    );
  const included = patterns.some((p) => !p.startsWith('-') && glob(p).test(index));
  const excluded = patterns.some((p) => p.startsWith('-') && glob(p.slice(1)).test(index));
  return included && !excluded;
}
