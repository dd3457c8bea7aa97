import type { ReplaySummary } from './replay';

const TEXT_LISTED = 20;

function n(value: number): string {
  return value.toLocaleString('en-US');
}

function where(ref: { line: number; item?: number }): string {
  return ref.item === undefined ? `line ${ref.line}` : `line ${ref.line} item ${ref.item}`;
}

/** The human summary of a replay (the JSON one is the summary object itself). */
export function formatReplaySummary(summary: ReplaySummary, input: string, index: string): string {
  const out: string[] = [
    `replayed ${input} into ${index}`,
    `  lines read        ${n(summary.lines_read)}${summary.empty_lines > 0 ? ` (${n(summary.empty_lines)} empty)` : ''}`,
    `  valid events      ${n(summary.events)}`,
    `  indexed           ${n(summary.indexed)}`,
    `  bad lines         ${n(summary.bad)}`,
  ];
  const shownBad = summary.bad_listed.slice(0, TEXT_LISTED);
  for (const b of shownBad) out.push(`    ${where(b)}: ${b.reason}`);
  if (summary.bad > shownBad.length)
    out.push(
      `    … ${n(summary.bad - shownBad.length)} more (--json lists up to ${summary.bad_listed.length})`,
    );
  out.push(`  not indexed       ${n(summary.unindexed)}`);
  const shownUnindexed = summary.unindexed_listed.slice(0, TEXT_LISTED);
  for (const u of shownUnindexed)
    out.push(`    ${where(u)}: ${u.status === 0 ? '' : `${u.status} `}${u.reason}`);
  if (summary.unindexed > shownUnindexed.length)
    out.push(`    … ${n(summary.unindexed - shownUnindexed.length)} more`);
  out.push(`  without own time  ${n(summary.without_own_time)} (@timestamp = read time)`);
  if (summary.first_event_time !== undefined)
    out.push(`  event times       ${summary.first_event_time} .. ${summary.last_event_time ?? ''}`);
  if (summary.shift_ms !== 0) out.push(`  shifted by        ${n(summary.shift_ms)} ms (--now)`);
  if (summary.retries > 0) out.push(`  retried items     ${n(summary.retries)}`);
  out.push(
    `  duration          ${(summary.duration_ms / 1000).toFixed(1)} s, ${n(summary.events_per_s)} events/s, ${n(summary.bulk_requests)} bulk requests`,
  );
  if (summary.aborted !== undefined) out.push(`  ABORTED: ${summary.aborted}`);
  return out.join('\n');
}

export function formatProgress(p: { lines: number; events: number; bad: number; elapsedMs: number }): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.events * 1000) / p.elapsedMs) : 0;
  return `replay: ${n(p.lines)} lines, ${n(p.events)} events, ${n(p.bad)} bad, ${n(rate)} events/s`;
}
