import type { NewTermsRule } from '../../rules';
import { resolveDateMath } from '../../rules';
import { alertRuleInfo } from '../alertRuleInfo';
import { AlertEmitter } from '../emit';
import { prepareSearch } from '../searchPrep';
import { emptyOutcome, type RuleTypeExecutor, type WindowOutcome } from '../types';
import { aggregateNewTerms } from './aggregate';
import { termsAccess } from './fields';
import { newTermsAlertId } from './ids';
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
    const warnings = [...prepared.warnings, ...fieldWarnings];
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
    const pages: AsyncGenerator<TermsPage> =
      access.kind === 'aggregate'
        ? aggregateNewTerms({
            ...common,
            fields: access.fields,
            pageSize: NEW_TERMS_LIMITS.pageSize,
            chunkSize: NEW_TERMS_LIMITS.chunkSize,
          })
        : sourceNewTerms({
            ...common,
            fields: access.fields,
            textFields: access.textFields,
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
      if (!emitter.full) {
        offered += page.newTerms.length;
        await emitter.emit(
          page.newTerms.map((t) => ({
            id: newTermsAlertId(info.uuid, deps.space, t.values, t.firstSeenMs),
            hit: t.hit,
            extra: { 'kibana.alert.new_terms': [...t.values] },
          })),
        );
      }
      started = Date.now();
    }
    return emitter.outcome(
      { window, hits: found, candidates, searchMs, esTookMs },
      warnings,
      found - offered,
    );
  },
};
