import type { NewTermsRule } from '../../rules';
import { resolveDateMath } from '../../rules';
import { alertRuleInfo } from '../alertRuleInfo';
import { AlertEmitter } from '../emit';
import { prepareSearch } from '../searchPrep';
import { emptyOutcome, type RuleTypeExecutor, type RunWarning, type WindowOutcome } from '../types';
import { aggregateNewTerms, earliestDocuments } from './aggregate';
import { termsAccess } from './fields';
import { newTermsAlertId, termKey } from './ids';
import { sourceNewTerms } from './source';
import type { TermsPage } from './types';

/** Tunables of the aggregation path (Kibana's values). */
export const NEW_TERMS_LIMITS = { pageSize: 10_000, chunkSize: 500, sourceBatch: 50 } as const;

/**
 * The new_terms rule (DESIGN.md §5): a combination of the fields' values (1 to 3 fields) is new when its
 * earliest occurrence in [history_window_start, to] is after `from`; one alert per new combination, its
 * source the earliest document of the window; at most max_signals per window across pages.
 */
export const newTermsExecutor: RuleTypeExecutor<NewTermsRule> = {
  async runWindow(rule, window, run, deps): Promise<WindowOutcome> {
    const prepared = await prepareSearch(rule, deps);
    if (prepared.skip) return emptyOutcome(window, prepared.warnings);
    // history_window_start is resolved against the window's `to` (Kibana's tuple.to)
    const historyStart = resolveDateMath(rule.newTerms.historyWindowStart, window.to);
    const { access, warnings: fieldWarnings } = termsAccess(rule.newTerms.fields, prepared.snapshot);
    const warnings: RunWarning[] = [...prepared.warnings, ...fieldWarnings];
    if (access.kind === 'unmapped') return emptyOutcome(window, warnings);
    const info = alertRuleInfo(rule);
    const emitter = new AlertEmitter(info, run, deps);
    const common = {
      client: deps.client,
      rule: rule.ruleId,
      indices: prepared.indices,
      query: prepared.query,
      timestamps: prepared.timestamps,
      window,
      historyStart,
    };
    const aggInput =
      access.kind === 'aggregate'
        ? {
            ...common,
            fields: access.fields,
            pageSize: NEW_TERMS_LIMITS.pageSize,
            chunkSize: NEW_TERMS_LIMITS.chunkSize,
          }
        : undefined;
    const pages: AsyncGenerator<TermsPage> =
      aggInput !== undefined
        ? aggregateNewTerms(aggInput)
        : sourceNewTerms({
            ...common,
            fields: access.fields,
            textFields: access.kind === 'source' ? access.textFields : new Set(),
            batchSize: NEW_TERMS_LIMITS.sourceBatch,
          });
    let candidates = 0;
    let found = 0;
    let offered = 0;
    let esTookMs = 0;
    let searchMs = 0;
    let started = Date.now();
    for await (const page of pages) {
      searchMs += Date.now() - started;
      esTookMs += page.tookMs;
      candidates += page.candidates;
      found += page.newTerms.length;
      if (emitter.full) {
        started = Date.now();
        continue;
      }
      offered += page.newTerms.length;
      // ids need only the values and the first-seen time: existing alerts and max_signals are settled
      // before any source document is read, so documents are fetched for real alerts only
      const admitted = await emitter.admit(
        page.newTerms.map((t) => ({
          term: t,
          id: newTermsAlertId(info.uuid, deps.space, t.values, t.firstSeenMs),
        })),
      );
      const missing = admitted.filter((a) => a.term.hit === undefined).map((a) => a.term);
      const fetchStarted = Date.now();
      const fetched =
        aggInput !== undefined && missing.length > 0 ? await earliestDocuments(aggInput, missing) : undefined;
      searchMs += Date.now() - fetchStarted;
      esTookMs += fetched?.tookMs ?? 0;
      await emitter.write(
        admitted.flatMap((a) => {
          const hit = a.term.hit ?? fetched?.hits.get(termKey(a.term.values));
          if (hit !== undefined)
            return [{ id: a.id, hit, extra: { 'kibana.alert.new_terms': [...a.term.values] } }];
          warnings.push({
            code: 'alerts_not_written',
            message: `new term ${JSON.stringify(a.term.values)}: its source document could not be read (deleted meanwhile?)`,
          });
          return [];
        }),
      );
      started = Date.now();
    }
    return emitter.outcome(
      { window, hits: found, candidates, searchMs, esTookMs },
      warnings,
      found - offered,
    );
  },
};
