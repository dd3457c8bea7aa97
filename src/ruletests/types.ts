import type { JsonObject } from '../audit/transform';
import type { SourcePosition } from '../rules';
import type { UserAgentMapping } from '../es/templates/auditLogs';

/** One fixture document of a case: a raw apiserver audit event or an ECS document, at a time before the end. */
export interface FixtureEvent {
  readonly kind: 'audit' | 'ecs';
  /** the event as written, defaults of the file merged in */
  readonly doc: JsonObject;
  /** ms relative to the case's end (0 or negative): @timestamp and, for audit events, the event's own times */
  readonly atMs: number;
  /** ms relative to the case's end: event.ingested (default: atMs) */
  readonly ingestedMs: number;
  /** `case[0].event[1]`, for messages */
  readonly key: string;
  readonly position: SourcePosition;
}

/** One expected alert: dotted field paths of the alert (source fields and kibana.alert.*) and their values. */
export type ExpectedAlert = Readonly<Record<string, unknown>>;

export interface RuleTestCase {
  readonly name: string;
  /** its place in the file (0-based) and `case[<index>]` */
  readonly index: number;
  readonly key: string;
  readonly position: SourcePosition;
  /** end of the case: relative times count back from it; undefined: the time the test runs */
  readonly end?: Date;
  readonly userAgentMapping: UserAgentMapping;
  /** events the rule's windows cover */
  readonly events: readonly FixtureEvent[];
  /** older events, indexed but outside the windows (new_terms history) */
  readonly history: readonly FixtureEvent[];
  readonly expect: {
    /** how many alerts; undefined: as many as `alerts` lists */
    readonly count?: number;
    readonly alerts: readonly ExpectedAlert[];
  };
}

export interface RuleTestFile {
  /** as given (relative to the working directory when possible) */
  readonly file: string;
  /** the rule under test: a file relative to the test file, or a rule_id; default `<stem>.toml` beside it */
  readonly rule: string;
  readonly rulePosition: SourcePosition;
  readonly cases: readonly RuleTestCase[];
}
