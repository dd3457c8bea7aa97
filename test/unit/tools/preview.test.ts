import { MAX_PREVIEW_WINDOWS, previewWindows, summaryLine, type PreviewResult } from '../../../src/preview';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import type { RunnableRule } from '../../../src/rules';
import { captureIo } from '../../helpers/replayIo';

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

describe('help', () => {
  it.each(['preview', 'test'])(
    'kdw %s --help shows examples and exit codes, and exits 0',
    async (command) => {
      const repo = join(__dirname, '..', '..', '..');
      const io = captureIo(process.env, repo);
      expect(await runCli([command, '--help'], io, repo)).toBe(0);
      const text = io.stdout.join('');
      expect(text).toContain(`Usage: kdw ${command}`);
      expect(text).toMatch(/Exit codes: 0 .*, 1 .*, 2 usage or connection error\./);
      expect(text).toMatch(new RegExp(`Examples:\\n  \\$ kdw ${command}`));
    },
  );

  it('preview without --from is a usage error (exit 2)', async () => {
    const repo = join(__dirname, '..', '..', '..');
    const io = captureIo(process.env, repo);
    expect(await runCli(['preview', 'some-rule'], io, repo)).toBe(2);
    expect(io.stderr.join('')).toContain("required option '--from <time>' not specified");
  });
});
