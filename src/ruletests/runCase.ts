import type { Client } from '@elastic/elasticsearch';
import { FieldCapsService } from '../es/fieldCaps';
import type { RunnableRule } from '../rules';
import { createRunDeps } from '../ruleTypes/deps';
import { runRule } from '../ruleTypes/runner';
import type { AlertSummary, RunWindow } from '../ruleTypes/types';
import { compareAlerts, type ActualAlert, type Comparison } from './diff';
import { FixtureBatch, type FixtureIndex } from './fixtureIndices';
import { caseWindows, fixtureDocs, patternsCover } from './fixtures';
import type { RuleTestCase } from './types';

export interface CaseRunDeps {
  /** may create indices and templates under logs-* (fixtures only) */
  readonly admin: Client;
  /** kdw's own least-privilege user: runs the rule, as the worker does */
  readonly kdw: Client;
  readonly kdwVersion: string;
  /** the end of cases that set none */
  readonly now: Date;
}

export interface CaseResult {
  readonly name: string;
  readonly key: string;
  readonly line: number;
  readonly column: number;
  readonly status: 'pass' | 'fail' | 'error';
  readonly end: string;
  readonly windows: number;
  readonly fixtureIndex: string;
  readonly comparison?: Comparison;
  readonly alerts: readonly ActualAlert[];
  readonly warnings: readonly string[];
  readonly error?: string;
  readonly tookMs: number;
}

interface Prepared {
  readonly c: RuleTestCase;
  readonly end: Date;
  readonly fixture: FixtureIndex;
  readonly windows: readonly RunWindow[];
}

/**
 * The cases of one file: their fixtures into throw-away indices (one batch), then each case's rule run as
 * kdw's own user in a dry run over the windows that cover its events (nothing written, no execution record),
 * its alerts compared with the expected ones; the indices are deleted whatever happens.
 */
export async function runCases(
  rule: RunnableRule,
  cases: readonly RuleTestCase[],
  deps: CaseRunDeps,
): Promise<CaseResult[]> {
  const batch = new FixtureBatch(deps.admin);
  const results = new Map<RuleTestCase, CaseResult>();
  const prepared: Prepared[] = [];
  cases.forEach((c, n) => {
    const end = c.end ?? deps.now;
    const index = batch.indexName(c.userAgentMapping, n);
    try {
      if (!patternsCover(rule.index, index)) {
        throw new Error(
          `the rule's index patterns [${rule.index.join(', ')}] do not cover ${index}: ` +
            'kdw test loads fixtures as Kubernetes audit logs (logs-kubernetes.audit_logs-*)',
        );
      }
      const windows = caseWindows(rule, c, end);
      const docs = fixtureDocs(c, end, `kdwtest${batch.id}`);
      prepared.push({ c, end, windows, fixture: { index, mapping: c.userAgentMapping, docs } });
    } catch (err) {
      results.set(c, errorResult(c, end, index, err, 0, Date.now()));
    }
  });
  try {
    const started = Date.now();
    try {
      await batch.load(prepared.map((p) => p.fixture));
    } catch (err) {
      for (const p of prepared) results.set(p.c, errorResult(p.c, p.end, p.fixture.index, err, 0, started));
      prepared.length = 0;
    }
    for (const p of prepared) results.set(p.c, await runPrepared(rule, p, deps));
  } finally {
    await batch.remove();
  }
  return cases.flatMap((c) => results.get(c) ?? []);
}

async function runPrepared(rule: RunnableRule, p: Prepared, deps: CaseRunDeps): Promise<CaseResult> {
  const started = Date.now();
  try {
    const runDeps = {
      ...createRunDeps(deps.kdw, new FieldCapsService(deps.kdw, { checkIntervalMs: 0 }), {
        // never created: duplicates are looked up in an empty place, and a dry run writes nothing
        alertsIndex: `kdw-alerts-kdwtest-${p.fixture.index.slice(-24)}`,
      }),
      dryRun: true,
    };
    const run = await runRule({ ...rule, index: [p.fixture.index] }, p.windows, runDeps, {
      executionsIndex: 'kdw-executions-kdwtest',
      recordExecution: false,
      trigger: 'manual',
      scheduledAt: p.end,
      kdwVersion: deps.kdwVersion,
      workerId: 'kdw-test',
    });
    if (run.error !== undefined)
      return errorResult(
        p.c,
        p.end,
        p.fixture.index,
        `the rule failed: ${run.error.message}`,
        p.windows.length,
        started,
      );
    const alerts = await actualAlerts(deps.kdw, uniqueAlerts(run.outcomes.flatMap((o) => o.alerts)));
    const comparison = compareAlerts(p.c.expect, alerts);
    return {
      ...base(p.c, p.end, p.fixture.index),
      status: comparison.pass ? 'pass' : 'fail',
      windows: p.windows.length,
      comparison,
      alerts,
      warnings: run.record.warnings,
      tookMs: Date.now() - started,
    };
  } catch (err) {
    return errorResult(p.c, p.end, p.fixture.index, err, p.windows.length, started);
  }
}

function base(c: RuleTestCase, end: Date, index: string) {
  return {
    name: c.name,
    key: c.key,
    line: c.position.line,
    column: c.position.column,
    end: end.toISOString(),
    fixtureIndex: index,
  };
}

function errorResult(
  c: RuleTestCase,
  end: Date,
  index: string,
  err: unknown,
  windows: number,
  started: number,
): CaseResult {
  return {
    ...base(c, end, index),
    status: 'error',
    windows,
    alerts: [],
    warnings: [],
    error: err instanceof Error ? err.message : String(err),
    tookMs: Date.now() - started,
  };
}

/** Two windows share a bound (inclusive on both ends): an event there is found twice, reported once. */
function uniqueAlerts(alerts: readonly AlertSummary[]): AlertSummary[] {
  const seen = new Set<string>();
  return alerts.filter((a) => (seen.has(a.id) ? false : (seen.add(a.id), true)));
}

/** Each alert as its source document plus the kibana.alert.* fields a test may name. */
async function actualAlerts(kdw: Client, alerts: readonly AlertSummary[]): Promise<ActualAlert[]> {
  if (alerts.length === 0) return [];
  const res = await kdw.mget<Record<string, unknown>>({
    docs: alerts.map((a) => ({ _index: a.sourceIndex, _id: a.sourceId })),
  });
  return alerts.map((a, i) => {
    const hit = res.docs[i];
    const source = hit !== undefined && 'found' in hit && hit.found ? (hit._source ?? {}) : {};
    return {
      id: a.id,
      time: a.time,
      reason: a.reason,
      doc: {
        ...source,
        'kibana.alert.uuid': a.id,
        'kibana.alert.reason': a.reason,
        'kibana.alert.severity': a.severity,
        'kibana.alert.original_time': a.time,
        ...(a.newTerms === undefined ? {} : { 'kibana.alert.new_terms': a.newTerms }),
      },
    };
  });
}
