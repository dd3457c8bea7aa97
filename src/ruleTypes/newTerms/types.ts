import type { Client, estypes } from '@elastic/elasticsearch';
import type { SourceHit } from '../../alerts/build';
import type { TimestampFields, TimeWindow } from '../timeRange';

/** What both ways of finding new terms (aggregations, _source) search: one rule window and its history. */
export interface TermsSearchInput {
  readonly client: Client;
  readonly rule: string;
  readonly indices: readonly string[];
  readonly query: estypes.QueryDslQueryContainer;
  readonly timestamps: TimestampFields;
  readonly window: TimeWindow;
  readonly historyStart: Date;
  /** the new_terms fields, in the rule's order (for aggregations: their aggregatable names) */
  readonly fields: readonly string[];
}

/** A combination of values first seen in the window. */
export interface NewTerm {
  /** in the order of the rule's new_terms fields */
  readonly values: readonly unknown[];
  /** earliest occurrence over [history_window_start, to] (ms): it is after the window's `from` */
  readonly firstSeenMs: number;
  /** the earliest document of the window with these values (the alert's source), when already read */
  readonly hit?: SourceHit;
}

export interface TermsPage {
  /** candidate combinations evaluated in this page */
  readonly candidates: number;
  readonly newTerms: readonly NewTerm[];
  /** Elasticsearch's own time over this page's requests */
  readonly tookMs: number;
}
