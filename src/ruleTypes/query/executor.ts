import { queryAlertId } from '../../alerts/ids';
import { pitSearch } from '../../es/pitSearch';
import type { QueryRule } from '../../rules';
import { alertRuleInfo } from '../alertRuleInfo';
import { AlertEmitter } from '../emit';
import { prepareSearch } from '../searchPrep';
import { searchFields, timeRangeFilter, timestampSort } from '../timeRange';
import { emptyOutcome, type RuleTypeExecutor, type WindowOutcome } from '../types';

/** Hits per page. Kibana pages 100; larger pages mean fewer round trips for the same hits. */
const PAGE_SIZE = 500;

/**
 * The query rule (DESIGN.md §4): every document of the window that matches the query becomes an alert,
 * at most max_signals new alerts per window. The PIT search never drops hits that tie on timestamps.
 */
export const queryExecutor: RuleTypeExecutor<QueryRule> = {
  async runWindow(rule, window, run, deps): Promise<WindowOutcome> {
    const prepared = await prepareSearch(rule, deps);
    if (prepared.skip) return emptyOutcome(window, prepared.warnings);
    const info = alertRuleInfo(rule);
    const emitter = new AlertEmitter(info, run, deps);
    let hits = 0;
    let total = 0;
    let searchMs = 0;
    let esTookMs = 0;
    let searchStarted = Date.now();
    for await (const page of pitSearch(deps.client, {
      index: prepared.indices,
      query: { bool: { filter: [prepared.query, timeRangeFilter(prepared.timestamps, window)] } },
      sort: timestampSort(prepared.timestamps),
      fields: searchFields(prepared.timestamps),
      pageSize: PAGE_SIZE,
      context: { rule: rule.ruleId },
    })) {
      searchMs += Date.now() - searchStarted;
      esTookMs += page.tookMs;
      total = page.total;
      hits += page.hits.length;
      await emitter.emit(
        page.hits.map((h) => ({
          id: queryAlertId(h._index, h._id ?? '', info.uuid, deps.space),
          hit: { _index: h._index, _id: h._id ?? '', _source: h._source ?? {} },
        })),
      );
      if (emitter.full) break;
      searchStarted = Date.now();
    }
    return emitter.outcome(
      { window, hits, candidates: 0, searchMs, esTookMs },
      prepared.warnings,
      total - hits,
    );
  },
};
