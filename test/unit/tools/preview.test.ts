import { MAX_PREVIEW_WINDOWS, previewWindows, summaryLine, type PreviewResult } from '../../../src/preview';
import type { RunnableRule } from '../../../src/rules';

const MIN = 60_000;
const rule = { interval: '5m', intervalMs: 5 * MIN } as unknown as RunnableRule;

describe('preview windows', () => {
  it('are consecutive windows of the interval over the range, oldest first, the last one shorter', () => {
    const from = new Date('2026-11-23T10:00:00.000Z');
    const to = new Date('2026-11-23T10:12:00.000Z');
    expect(previewWindows(rule, from, to).map((w) => [w.from.toISOString(), w.to.toISOString()])).toEqual([
      ['2026-11-23T10:00:00.000Z', '2026-11-23T10:05:00.000Z'],
      ['2026-11-23T10:05:00.000Z', '2026-11-23T10:10:00.000Z'],
      ['2026-11-23T10:10:00.000Z', '2026-11-23T10:12:00.000Z'],
    ]);
  });

  it('refuses a range that needs more than the limit of windows', () => {
    const to = new Date('2026-11-23T00:00:00.000Z');
    const from = new Date(to.getTime() - (MAX_PREVIEW_WINDOWS + 1) * 5 * MIN);
    expect(() => previewWindows(rule, from, to)).toThrow(
      `${MAX_PREVIEW_WINDOWS + 1} windows of 5m between ${from.toISOString()} and 2026-11-23T00:00:00.000Z: the limit is ${MAX_PREVIEW_WINDOWS}; preview a shorter range`,
    );
  });
});

describe('the summary line', () => {
  const result = (windowsRun: number): PreviewResult =>
    ({
      alerts: [],
      warnings: [],
      summary: { windows: 12, windowsRun, hits: 40, alerts: 3, duplicates: 1, tookMs: 2345 },
    }) as unknown as PreviewResult;

  it('says what ran, what was found and whether it was written', () => {
    expect(summaryLine(result(12), false)).toBe(
      '12 window(s), 40 hit(s), 3 alert(s) found (dry run: nothing written), 1 duplicate(s), 2.3 s',
    );
    expect(summaryLine(result(5), true)).toBe(
      '5 of 12 window(s), 40 hit(s), 3 alert(s) written, 1 duplicate(s), 2.3 s',
    );
  });
});
