/** Rule `interval` syntax of detection-rules and Kibana's task scheduler: a positive integer and s, m, h or d. */
const DURATION = /^(\d+)([smhd])$/;
const UNIT_MS: Readonly<Record<string, number>> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** Milliseconds of `5m`, `1h`, `30s`, `1d`; undefined when the text is not such a duration or is zero. */
export function parseDurationMs(text: string): number | undefined {
  const m = DURATION.exec(text);
  if (m === null) return undefined;
  const amount = Number(m[1]);
  const unit = UNIT_MS[m[2] ?? ''];
  if (unit === undefined || amount <= 0 || !Number.isSafeInteger(amount * unit)) return undefined;
  return amount * unit;
}
