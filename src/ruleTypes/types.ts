import type { Client } from '@elastic/elasticsearch';
import type { FieldTypeOf } from '../alerts/sourceFields';
import type { FieldTypes } from '../kql';
import type { RunnableRule } from '../rules';

/** Where field types come from (the field-caps service in production, a fixed map in unit tests). */
export interface FieldTypesSource {
  /** types of the fields across the indices that match the patterns, and those indices */
  fieldTypes(patterns: readonly string[]): Promise<FieldTypesSnapshot>;
}

export interface FieldTypesSnapshot {
  readonly types: FieldTypes;
  /** the concrete indices the patterns matched */
  readonly indices: readonly string[];
  /** for one field: each of its types and the indices that map it so */
  indicesByType(field: string): ReadonlyMap<string, readonly string[]>;
}

/** What an executor needs from the outside world: passed in, never imported. */
export interface RunDeps {
  /** connected as kdw's own least-privilege user */
  readonly client: Client;
  readonly fields: FieldTypesSource;
  readonly alertsIndex: string;
  /** the type of a field in the alerts mapping (source values that conflict are dropped) */
  readonly alertTypeOf: FieldTypeOf;
  readonly kibanaVersion: string;
  readonly space: string;
  readonly now: () => Date;
  /** refresh the alerts index after writing (tests and run-once; the worker leaves it to the refresh interval) */
  readonly refresh?: boolean;
  /** build alerts and report them, but write nothing (preview without --write) */
  readonly dryRun?: boolean;
}

export type WindowKind = 'main' | 'catch-up' | 'manual';

export interface RunWindow {
  readonly from: Date;
  readonly to: Date;
  readonly kind: WindowKind;
}

export type WarningCode =
  | 'no_matching_index'
  | 'missing_timestamp_field'
  | 'max_signals_reached'
  | 'alerts_not_written'
  | 'non_aggregatable_field'
  | 'source_fields_dropped'
  | 'exceptions_not_applied'
  | 'gap';

export interface RunWarning {
  readonly code: WarningCode;
  readonly message: string;
}

export interface AlertSummary {
  readonly id: string;
  readonly time: string;
  readonly reason: string;
  readonly severity: string;
  readonly sourceIndex: string;
  readonly sourceId: string;
  readonly newTerms?: readonly unknown[];
}

/** What one window of one rule produced. */
export interface WindowOutcome {
  readonly window: RunWindow;
  readonly hits: number;
  /** new_terms: candidate terms evaluated */
  readonly candidates: number;
  readonly alertsCreated: number;
  readonly duplicates: number;
  readonly alertsNotWritten: number;
  readonly warnings: readonly RunWarning[];
  /** wall time of searches and of writes, and Elasticsearch's own `took` over the searches */
  readonly searchMs: number;
  readonly indexingMs: number;
  readonly esTookMs: number;
  readonly alerts: readonly AlertSummary[];
  /** ingest lags of the alerted events, in ms */
  readonly lags: readonly { readonly eventToIngestMs?: number; readonly ingestToAlertMs?: number }[];
}

/** The identity of one run of one rule. */
export interface RunContext {
  readonly executionUuid: string;
  /** the run's fixed start (the scheduled tick for the worker): date math resolves against it */
  readonly startedAt: Date;
}

/** One module per rule type behind this interface; the runner never branches on the type. */
export interface RuleTypeExecutor<R extends RunnableRule> {
  runWindow(rule: R, window: RunWindow, run: RunContext, deps: RunDeps): Promise<WindowOutcome>;
}

export function emptyOutcome(window: RunWindow, warnings: readonly RunWarning[] = []): WindowOutcome {
  return {
    window,
    hits: 0,
    candidates: 0,
    alertsCreated: 0,
    duplicates: 0,
    alertsNotWritten: 0,
    warnings,
    searchMs: 0,
    indexingMs: 0,
    esTookMs: 0,
    alerts: [],
    lags: [],
  };
}
