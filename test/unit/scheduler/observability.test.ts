import { Writable } from 'node:stream';
import { createLogger, silentLogger } from '../../../src/observability/logger';
import { WorkerMetrics } from '../../../src/observability/metrics';
import { startHttpEndpoint } from '../../../src/observability/server';
import type { RunResult } from '../../../src/ruleTypes/runner';

describe('observability', () => {
  it('logs ECS JSON lines, a child per rule, and never a credential', async () => {
    const lines: string[] = [];
    const logger = createLogger({
      level: 'info',
      workerId: 'w1',
      stream: new Writable({
        write(chunk: Buffer, _enc, done) {
          lines.push(chunk.toString());
          done();
        },
      }),
    });
    logger
      .child({ rule: { id: 'r1', name: 'Rule one' } })
      .warn('connect https://kdw:hunter22@es:9200 failed, password=hunter22', {
        detail: 'Authorization: Basic a2R3Omh1bnRlcjIy',
      });
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    const doc = JSON.parse(lines[0] ?? '{}') as Record<string, unknown>;
    expect(doc).toMatchObject({
      'log.level': 'warn',
      'ecs.version': expect.any(String),
      'service.name': 'kdw',
      'service.node.name': 'w1',
      rule: { id: 'r1', name: 'Rule one' },
    });
    expect(lines[0]).not.toContain('hunter22');
    expect(lines[0]).not.toContain('a2R3Omh1bnRlcjIy');
  });

  it('counts runs, alerts, gaps and ingest lags per rule, and serves them with /healthz and /readyz', async () => {
    const metrics = new WorkerMetrics({ processMetrics: false });
    const result = {
      record: {
        status: 'succeeded',
        durations: { total_ms: 1500 },
        counts: { hits: 3, alerts_created: 2, duplicates_skipped: 1 },
        windows: [{ kind: 'catch-up' }, { kind: 'main' }],
      },
      outcomes: [{ lags: [{ eventToIngestMs: 2000, ingestToAlertMs: 40_000 }] }],
    } as unknown as RunResult;
    metrics.recordRun('r1', result);
    metrics.recordGap('r1', 90_000);
    let ready = false;
    const http = await startHttpEndpoint({
      host: '127.0.0.1',
      port: 0,
      registry: metrics.registry,
      isReady: () => ready,
      isAlive: () => true,
      logger: silentLogger(),
    });
    try {
      const get = (path: string) => fetch(`http://127.0.0.1:${http.port}${path}`);
      expect((await get('/healthz')).status).toBe(200);
      expect((await get('/readyz')).status).toBe(503);
      ready = true;
      expect((await get('/readyz')).status).toBe(200);
      expect((await get('/nope')).status).toBe(404);
      const text = await (await get('/metrics')).text();
      expect(text).toContain('kdw_rule_runs_total{rule_id="r1",status="succeeded"} 1');
      expect(text).toContain('kdw_rule_alerts_created_total{rule_id="r1"} 2');
      expect(text).toContain('kdw_rule_duplicates_skipped_total{rule_id="r1"} 1');
      expect(text).toContain('kdw_rule_gaps_total{rule_id="r1"} 1');
      expect(text).toContain('kdw_rule_gap_seconds_total{rule_id="r1"} 90');
      expect(text).toContain('kdw_rule_catch_up_windows_total{rule_id="r1"} 1');
      expect(text).toContain('kdw_ingest_lag_seconds_count{rule_id="r1",stage="ingest_to_alert"} 1');
      expect(text).toContain('kdw_ingest_lag_seconds_bucket{le="5",rule_id="r1",stage="event_to_ingest"} 1');
    } finally {
      await http.close();
      await http.close();
    }
  });
});
