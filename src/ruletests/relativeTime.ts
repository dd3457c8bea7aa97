const RELATIVE = /^-(\d+)(ms|s|m|h|d)$/;
const UNIT_MS: Readonly<Record<string, number>> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * A time relative to a case's end: `-2m`, `-90s`, `-3d`, `-1500ms`, or `0` (the end itself). Returns the
 * offset in ms (0 or negative) or the reason it is not one. Fixtures never lie after the end: the windows end
 * there.
 */
export function parseRelativeTime(text: string): { ok: true; ms: number } | { ok: false; reason: string } {
  const t = text.trim();
  if (t === '0' || t === '-0' || t === '-0s') return { ok: true, ms: 0 };
  const m = RELATIVE.exec(t);
  const unit = UNIT_MS[m?.[2] ?? ''];
  if (m === null || unit === undefined) {
    const hint = /^\+?\d+(ms|s|m|h|d)$/.test(t) ? ' (times count back from the end: write a minus sign)' : '';
    return {
      ok: false,
      reason: `must be a time before the case's end like "-2m", "-90s" or "-3d" (got ${JSON.stringify(text)})${hint}`,
    };
  }
  const ms = Number(m[1]) * unit;
  if (!Number.isSafeInteger(ms) || ms > 100 * 365 * 86_400_000)
    return { ok: false, reason: `is too far back (got ${JSON.stringify(text)})` };
  return { ok: true, ms: -ms };
}
