import { buildExecutionRecord } from '../../../src/ruleTypes/executionRecord';
import { emptyOutcome, type WindowOutcome } from '../../../src/ruleTypes/types';
import { consecutiveWindows, mainWindow } from '../../../src/ruleTypes/windows';
import type { RunnableRule } from '../../../src/rules';

const rule = { ruleId: 'r1', name: 'Rule', type: 'query' } as RunnableRule;
const w = {
  from: new Date('2026-11-23T10:00:00Z'),
  to: new Date('2026-11-23T10:06:00Z'),
  kind: 'main' as const,
};
const base = {
  rule,
  runId: 'run-1',
  trigger: 'scheduled' as const,
  scheduledAt: new Date('2026-11-23T10:06:00Z'),
  startedAt: new Date('2026-11-23T10:06:01Z'),
  endedAt: new Date('2026-11-23T10:06:03Z'),
  kdwVersion: '0.1.0',
  workerId: 'w',
};
const outcome = (o: Partial<WindowOutcome>): WindowOutcome => ({ ...emptyOutcome(w), ...o });

describe('buildExecutionRecord', () => {
  it('sums windows and succeeds without warnings', () => {
    const record = buildExecutionRecord({
      ...base,
      outcomes: [
        outcome({
          hits: 3,
          alertsCreated: 2,
          duplicates: 1,
          searchMs: 10,
          indexingMs: 5,
          esTookMs: 4,
          lags: [{ eventToIngestMs: 1000, ingestToAlertMs: 3000 }],
        }),
        outcome({ hits: 1, alertsCreated: 1, lags: [{ eventToIngestMs: 3000, ingestToAlertMs: 1000 }] }),
      ],
    });
    expect(record.status).toBe('succeeded');
    expect(record.message).toBe('3 alert(s) created, 1 duplicate(s) skipped, 4 hit(s) in 2 window(s)');
    expect(record.counts).toEqual({
      hits: 4,
      candidates: 0,
      alerts_created: 3,
      duplicates_skipped: 1,
      alerts_not_written: 0,
    });
    expect(record.durations).toEqual({ search_ms: 10, indexing_ms: 5, total_ms: 2000, es_took_ms: 4 });
    expect(record.lag).toEqual({
      event_to_ingest_ms: { min: 1000, max: 3000, avg: 2000 },
      ingest_to_alert_ms: { min: 1000, max: 3000, avg: 2000 },
    });
    expect(record.windows).toEqual([
      { from: '2026-11-23T10:00:00.000Z', to: '2026-11-23T10:06:00.000Z', kind: 'main' },
      expect.any(Object),
    ]);
  });

  it('is a partial failure with any warning and a failure with an error', () => {
    const warned = buildExecutionRecord({
      ...base,
      outcomes: [outcome({ warnings: [{ code: 'no_matching_index', message: 'none' }] })],
    });
    expect(warned.status).toBe('partial failure');
    expect(warned.warnings).toEqual(['no_matching_index: none']);
    const failed = buildExecutionRecord({
      ...base,
      outcomes: [],
      error: { type: 'es_unavailable', reason: 'down' },
    });
    expect(failed).toMatchObject({
      status: 'failed',
      message: 'es_unavailable: down',
      error: { type: 'es_unavailable', reason: 'down' },
    });
  });

  it('records a gap', () => {
    const record = buildExecutionRecord({
      ...base,
      outcomes: [],
      gap: { ms: 60000, from: new Date('2026-11-23T09:00:00Z'), to: new Date('2026-11-23T09:01:00Z') },
    });
    expect(record.gap).toEqual({
      ms: 60000,
      from: '2026-11-23T09:00:00.000Z',
      to: '2026-11-23T09:01:00.000Z',
    });
  });
});

describe('windows', () => {
  it('resolves from/to against the run start', () => {
    expect(mainWindow({ from: 'now-6m', to: 'now' }, new Date('2026-11-23T10:06:00Z'))).toEqual(w);
  });

  it('cuts a range into consecutive windows of the interval', () => {
    const windows = consecutiveWindows(
      new Date('2026-11-23T10:00:00Z'),
      new Date('2026-11-23T10:12:00Z'),
      5 * 60_000,
    );
    expect(windows.map((x) => [x.from.toISOString(), x.to.toISOString()])).toEqual([
      ['2026-11-23T10:00:00.000Z', '2026-11-23T10:05:00.000Z'],
      ['2026-11-23T10:05:00.000Z', '2026-11-23T10:10:00.000Z'],
      ['2026-11-23T10:10:00.000Z', '2026-11-23T10:12:00.000Z'],
    ]);
  });
});
