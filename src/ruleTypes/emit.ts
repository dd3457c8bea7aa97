import { buildAlert, type AlertRuleInfo, type BuiltAlert, type SourceHit } from '../alerts/build';
import { existingIds, writeAlerts } from '../alerts/writer';
import { ingestLag } from './lag';
import type { AlertSummary, RunContext, RunDeps, RunWarning, WindowOutcome } from './types';

/** One alert a rule type wants to raise: its deterministic id, its source document and extra alert fields. */
export interface AlertCandidate {
  readonly id: string;
  readonly hit: SourceHit;
  readonly extra?: Readonly<Record<string, unknown>>;
}

/**
 * What every rule type does with its candidates, in one place: look up ids that exist already (duplicates
 * from the look-back overlap do not use up max_signals), keep at most max_signals new alerts in the window,
 * build and write them, and account for everything (created, duplicates, not written, lags, dropped fields).
 */
export class AlertEmitter {
  private created = 0;
  private duplicates = 0;
  private notWritten = 0;
  private indexingMs = 0;
  private capped = 0;
  private readonly warnings: RunWarning[] = [];
  private readonly alerts: AlertSummary[] = [];
  private readonly lags: WindowOutcome['lags'][number][] = [];
  private readonly removedFields = new Set<string>();

  constructor(
    private readonly info: AlertRuleInfo,
    private readonly run: RunContext,
    private readonly deps: RunDeps,
  ) {}

  /** alerts admitted in this window (written, being written, or failed): what max_signals counts */
  private admitted = 0;

  /** true once max_signals new alerts were admitted in this window */
  get full(): boolean {
    return this.admitted >= this.info.maxSignals;
  }

  /**
   * Which candidates become alerts: those whose id is not in the alerts index yet (nor twice in the batch),
   * at most max_signals in the window. Counts the rest as duplicates or as left out by max_signals. Cheap:
   * rule types call it before they fetch source documents, so documents are read only for real alerts.
   */
  async admit<C extends { readonly id: string }>(candidates: readonly C[]): Promise<C[]> {
    if (candidates.length === 0) return [];
    const started = Date.now();
    const existing = await existingIds(
      this.deps.client,
      this.deps.alertsIndex,
      candidates.map((c) => c.id),
    );
    const seen = new Set<string>();
    const fresh = candidates.filter((c) => {
      if (existing.has(c.id) || seen.has(c.id)) return false;
      seen.add(c.id);
      return true;
    });
    this.duplicates += candidates.length - fresh.length;
    const taken = fresh.slice(0, Math.max(0, this.info.maxSignals - this.admitted));
    this.capped += fresh.length - taken.length;
    this.admitted += taken.length;
    this.indexingMs += Date.now() - started;
    return taken;
  }

  /** Admits and writes a batch of candidates that carry their source documents. */
  async emit(candidates: readonly AlertCandidate[]): Promise<void> {
    await this.write(await this.admit(candidates));
  }

  /** Builds and writes admitted candidates (see admit). */
  async write(taken: readonly AlertCandidate[]): Promise<void> {
    if (taken.length === 0) return;
    const started = Date.now();
    const now = this.deps.now();
    const ctx = {
      now,
      executionUuid: this.run.executionUuid,
      intendedTimestamp: this.run.startedAt,
      space: this.deps.space,
      kibanaVersion: this.deps.kibanaVersion,
      typeOf: this.deps.alertTypeOf,
    };
    const built: BuiltAlert[] = taken.map((c) => buildAlert(this.info, c.hit, c.id, ctx, c.extra));
    const result =
      this.deps.dryRun === true
        ? { created: built.length, duplicates: 0, failed: [], tookMs: 0 }
        : await writeAlerts(this.deps.client, built, {
            index: this.deps.alertsIndex,
            refresh: this.deps.refresh ?? false,
          });
    this.created += result.created;
    this.duplicates += result.duplicates;
    this.notWritten += result.failed.length;
    for (const f of result.failed) {
      this.warnings.push({
        code: 'alerts_not_written',
        message: `alert ${f.id} was not written: ${f.status} ${f.reason}`,
      });
    }
    const failedIds = new Set(result.failed.map((f) => f.id));
    built.forEach((b, i) => {
      b.removedFields.forEach((f) => this.removedFields.add(f));
      const source = taken[i];
      if (failedIds.has(b.id) || source === undefined) return;
      const newTerms = b.doc['kibana.alert.new_terms'];
      this.alerts.push({
        id: b.id,
        time: String(b.doc['kibana.alert.original_time'] ?? ''),
        reason: String(b.doc['kibana.alert.reason']),
        severity: String(b.doc['kibana.alert.severity']),
        sourceIndex: source.hit._index,
        sourceId: source.hit._id,
        ...(Array.isArray(newTerms) ? { newTerms } : {}),
      });
      this.lags.push(ingestLag(source.hit._source, now));
    });
    this.indexingMs += Date.now() - started;
  }

  /**
   * The window's outcome. `leftOut` is what the rule type knows was never offered because max_signals was
   * reached (e.g. hits not yet paged); candidates refused by emit() are counted here already.
   */
  outcome(
    base: Pick<WindowOutcome, 'window' | 'hits' | 'candidates' | 'searchMs' | 'esTookMs'>,
    warnings: readonly RunWarning[],
    leftOut = 0,
  ): WindowOutcome {
    const all = [...warnings, ...this.warnings];
    const notAlerted = this.capped + leftOut;
    if (notAlerted > 0) {
      all.push({
        code: 'max_signals_reached',
        message: `max_signals (${this.info.maxSignals}) reached: ${notAlerted} matching ${base.candidates > 0 ? 'new terms' : 'events'} were not turned into alerts`,
      });
    }
    if (this.removedFields.size > 0) {
      all.push({
        code: 'source_fields_dropped',
        message: `source fields whose type conflicts with the alerts mapping were left out of the alerts: ${[...this.removedFields].sort().join(', ')}`,
      });
    }
    return {
      ...base,
      alertsCreated: this.created,
      duplicates: this.duplicates,
      alertsNotWritten: this.notWritten,
      warnings: all,
      indexingMs: this.indexingMs,
      alerts: this.alerts,
      lags: this.lags,
    };
  }
}
