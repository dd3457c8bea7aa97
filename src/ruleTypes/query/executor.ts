import { buildAlert, type BuiltAlert } from '../../alerts/build';
import { queryAlertId } from '../../alerts/ids';
import { existingIds, writeAlerts } from '../../alerts/writer';
import { pitSearch } from '../../es/pitSearch';
import type { QueryRule } from '../../rules';
import { alertRuleInfo } from '../alertRuleInfo';
import { ingestLag } from '../lag';
import { prepareSearch } from '../searchPrep';
import { searchFields, timeRangeFilter, timestampSort } from '../timeRange';
import {
  emptyOutcome,
  type AlertSummary,
  type RuleTypeExecutor,
  type RunWarning,
  type WindowOutcome,
} from '../types';

/** Hits per page. Kibana pages 100; larger pages mean fewer round trips for the same hits. */
const PAGE_SIZE = 500;

/**
 * The query rule (DESIGN.md §4): every document of the window that matches the query becomes an alert,
 * at most max_signals new alerts per window. Existing alerts are looked up first, so duplicates from the
 * look-back overlap do not use up max_signals; the PIT search never drops hits that tie on timestamps.
 */
export const queryExecutor: RuleTypeExecutor<QueryRule> = {
  async runWindow(rule, window, run, deps): Promise<WindowOutcome> {
    const prepared = await prepareSearch(rule, deps);
    if (prepared.skip) return emptyOutcome(window, prepared.warnings);
    const warnings: RunWarning[] = [...prepared.warnings];
    const info = alertRuleInfo(rule);
    const alerts: AlertSummary[] = [];
    const lags: WindowOutcome['lags'][number][] = [];
    const removedFields = new Set<string>();
    let hits = 0;
    let created = 0;
    let duplicates = 0;
    let notWritten = 0;
    let searchMs = 0;
    let indexingMs = 0;
    let esTookMs = 0;
    let total = 0;
    let searchStarted = Date.now();
    const pages = pitSearch(deps.client, {
      index: prepared.indices,
      query: { bool: { filter: [prepared.query, timeRangeFilter(prepared.timestamps, window)] } },
      sort: timestampSort(prepared.timestamps),
      fields: searchFields(prepared.timestamps),
      pageSize: PAGE_SIZE,
      context: { rule: rule.ruleId },
    });
    for await (const page of pages) {
      searchMs += Date.now() - searchStarted;
      esTookMs += page.tookMs;
      total = page.total;
      const writeStarted = Date.now();
      const candidates = page.hits.map((h) => ({
        hit: { _index: h._index, _id: h._id ?? '', _source: h._source ?? {} },
        id: queryAlertId(h._index, h._id ?? '', info.uuid, deps.space),
      }));
      const existing = await existingIds(
        deps.client,
        deps.alertsIndex,
        candidates.map((c) => c.id),
      );
      const fresh = candidates.filter((c) => !existing.has(c.id));
      duplicates += candidates.length - fresh.length;
      const room = rule.maxSignals - created - notWritten;
      const taken = fresh.slice(0, Math.max(0, room));
      hits += candidates.length - (fresh.length - taken.length);
      const now = deps.now();
      const built: BuiltAlert[] = taken.map((c) =>
        buildAlert(info, c.hit, c.id, {
          now,
          executionUuid: run.executionUuid,
          intendedTimestamp: run.startedAt,
          space: deps.space,
          kibanaVersion: deps.kibanaVersion,
          typeOf: deps.alertTypeOf,
        }),
      );
      const result = await writeAlerts(deps.client, built, {
        index: deps.alertsIndex,
        refresh: deps.refresh ?? false,
      });
      created += result.created;
      duplicates += result.duplicates;
      notWritten += result.failed.length;
      for (const f of result.failed) {
        warnings.push({
          code: 'alerts_not_written',
          message: `alert ${f.id} was not written: ${f.status} ${f.reason}`,
        });
      }
      const failedIds = new Set(result.failed.map((f) => f.id));
      for (const [i, b] of built.entries()) {
        b.removedFields.forEach((f) => removedFields.add(f));
        if (failedIds.has(b.id)) continue;
        const source = taken[i]?.hit;
        alerts.push({
          id: b.id,
          time: String(b.doc['kibana.alert.original_time'] ?? ''),
          reason: String(b.doc['kibana.alert.reason']),
          severity: String(b.doc['kibana.alert.severity']),
          sourceIndex: source?._index ?? '',
          sourceId: source?._id ?? '',
        });
        lags.push(ingestLag(source?._source, now));
      }
      indexingMs += Date.now() - writeStarted;
      if (fresh.length > taken.length || created + notWritten >= rule.maxSignals) {
        const left = total - hits - duplicates;
        if (left > 0 || fresh.length > taken.length) {
          warnings.push({
            code: 'max_signals_reached',
            message: `max_signals (${rule.maxSignals}) reached: ${Math.max(left, fresh.length - taken.length)} matching events were not turned into alerts`,
          });
        }
        break;
      }
      searchStarted = Date.now();
    }
    if (removedFields.size > 0) {
      warnings.push({
        code: 'source_fields_dropped',
        message: `source fields whose type conflicts with the alerts mapping were left out of the alerts: ${[...removedFields].sort().join(', ')}`,
      });
    }
    return {
      window,
      hits,
      candidates: 0,
      alertsCreated: created,
      duplicates,
      alertsNotWritten: notWritten,
      warnings,
      searchMs,
      indexingMs,
      esTookMs,
      alerts,
      lags,
    };
  },
};
