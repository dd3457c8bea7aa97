import { isDateMath, parseDateMath, parseDurationMs, resolveDateMath } from '../../../src/rules';

const NOW = new Date('2026-03-18T10:37:25.123Z'); // a Wednesday

describe('resolveDateMath', () => {
  it.each([
    ['now', '2026-03-18T10:37:25.123Z'],
    ['now-6m', '2026-03-18T10:31:25.123Z'],
    ['now+1h', '2026-03-18T11:37:25.123Z'],
    ['now-2H', '2026-03-18T08:37:25.123Z'],
    ['now-30s', '2026-03-18T10:36:55.123Z'],
    ['now-7d', '2026-03-11T10:37:25.123Z'],
    ['now-7d/d', '2026-03-11T00:00:00.000Z'],
    ['now/d', '2026-03-18T00:00:00.000Z'],
    ['now/h', '2026-03-18T10:00:00.000Z'],
    ['now/m', '2026-03-18T10:37:00.000Z'],
    ['now/s', '2026-03-18T10:37:25.000Z'],
    ['now/w', '2026-03-16T00:00:00.000Z'],
    ['now/M', '2026-03-01T00:00:00.000Z'],
    ['now/y', '2026-01-01T00:00:00.000Z'],
    ['now-1w', '2026-03-11T10:37:25.123Z'],
    ['now-1M', '2026-02-18T10:37:25.123Z'],
    ['now-1y', '2025-03-18T10:37:25.123Z'],
    ['now-500ms', '2026-03-18T10:37:24.623Z'],
    ['now-1d-12h', '2026-03-16T22:37:25.123Z'],
    ['now-30d/d+1h', '2026-02-16T01:00:00.000Z'],
    ['2024-01-31', '2024-01-31T00:00:00.000Z'],
    ['2024-01-31||+1M', '2024-02-29T00:00:00.000Z'],
    ['2024-01-31T10:00:00Z||/d', '2024-01-31T00:00:00.000Z'],
    ['2024-05-01T12:00:00+02:00', '2024-05-01T10:00:00.000Z'],
    ['2024-05-01T12:00:00', '2024-05-01T12:00:00.000Z'],
  ])('%s', (expr, iso) => {
    expect(resolveDateMath(expr, NOW).toISOString()).toBe(iso);
  });

  it('throws a RangeError for invalid expressions and results out of range', () => {
    expect(() => resolveDateMath('now-6x', NOW)).toThrow(RangeError);
    expect(() => resolveDateMath('now-999999y', NOW)).toThrow('date math "now-999999y" is out of range');
  });
});

describe('parseDateMath', () => {
  it.each([
    ['', 'is empty'],
    ['now-6x', 'unknown unit "x"'],
    ['now-', 'missing unit after "-"'],
    ['now-m', 'missing number after "-"'],
    ['now/2d', 'rounding takes no number ("/2d")'],
    ['now 6m', 'unexpected " 6m" (expected +, - or /)'],
    ['yesterday', '"yesterday" is neither now nor an ISO date'],
    ['2024-13-45', '"2024-13-45" is neither now nor an ISO date'],
    ['now-99999999d', '99999999d is too large'],
  ])('%j is refused: %s', (expr, reason) => {
    expect(parseDateMath(expr)).toEqual({ ok: false, reason });
    expect(isDateMath(expr)).toBe(false);
  });
});

describe('parseDurationMs', () => {
  it.each([
    ['5m', 300_000],
    ['1h', 3_600_000],
    ['30s', 30_000],
    ['1d', 86_400_000],
    ['60m', 3_600_000],
  ])('%s', (text, ms) => expect(parseDurationMs(text)).toBe(ms));

  it.each(['', '5', 'm', '0m', '5M', '1w', '5 m', '-5m', '1.5h', '5mm'])('%j is not an interval', (text) =>
    expect(parseDurationMs(text)).toBeUndefined(),
  );
});
