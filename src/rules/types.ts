import type { TomlTable } from 'smol-toml';

/** Every rule type of the detection-rules format. */
export const RULE_TYPE_NAMES = [
  'query',
  'new_terms',
  'threshold',
  'eql',
  'esql',
  'machine_learning',
  'threat_match',
  'saved_query',
] as const;
export type RuleTypeName = (typeof RULE_TYPE_NAMES)[number];

/** The types kdw runs; all others load as UnsupportedRule. */
export type RunnableTypeName = 'query' | 'new_terms' | 'threshold';
export type UnsupportedTypeName = Exclude<RuleTypeName, RunnableTypeName>;

export const SEVERITIES = ['low', 'medium', 'high', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const MATURITIES = ['development', 'experimental', 'beta', 'production', 'deprecated'] as const;
export type Maturity = (typeof MATURITIES)[number];

export type QueryLanguage = 'kuery' | 'lucene';
export type RuleLanguage = QueryLanguage | 'eql' | 'esql';

export interface ThreatEntry {
  readonly id: string;
  readonly name: string;
  readonly reference: string;
}

export interface ThreatTechnique extends ThreatEntry {
  readonly subtechnique: readonly ThreatEntry[];
}

export interface ThreatMapping {
  readonly framework: string;
  readonly tactic: ThreatEntry;
  readonly technique: readonly ThreatTechnique[];
}

export interface ExceptionListRef {
  readonly id: string;
  readonly listId: string;
  readonly namespaceType: 'single' | 'agnostic';
  readonly type: 'detection' | 'endpoint' | 'rule_default';
}

export interface RiskScoreMappingEntry {
  readonly field: string;
  readonly operator: 'equals';
  readonly value: string;
  readonly riskScore?: number;
}

export interface SeverityMappingEntry {
  readonly field: string;
  readonly operator: 'equals';
  readonly value: string;
  readonly severity: Severity;
}

export interface RelatedIntegration {
  readonly package: string;
  readonly version: string;
  readonly integration?: string;
}

export interface RequiredField {
  readonly name: string;
  readonly type: string;
  readonly ecs: boolean;
}

export interface SuppressionDuration {
  readonly value: number;
  readonly unit: 's' | 'm' | 'h';
}

/** `[rule.alert_suppression]` of query-like rules (group_by 1 to 3 fields). */
export interface AlertSuppression {
  readonly groupBy: readonly string[];
  readonly duration?: SuppressionDuration;
  readonly missingFieldsStrategy: 'suppress' | 'doNotSuppress';
}

/** `[rule.alert_suppression]` of threshold rules: only a duration. */
export interface ThresholdAlertSuppression {
  readonly duration: SuppressionDuration;
}

/** `[metadata]`: facts about the rule file, not sent to the detection engine. */
export interface RuleMetadata {
  readonly creationDate: string;
  readonly updatedDate: string;
  readonly deprecationDate?: string;
  /** why a deprecated rule was retired (newer detection-rules files) */
  readonly deprecatedReason?: string;
  readonly maturity?: Maturity;
  /** integration package names; a single string in the file becomes a one-element list */
  readonly integration: readonly string[];
  readonly minStackVersion?: string;
  readonly minStackComments?: string;
  readonly comments?: string;
  readonly osTypeList: readonly string[];
  readonly querySchemaValidation?: boolean;
  readonly relatedEndpointRules: readonly string[];
  readonly promotion?: boolean;
  readonly bypassBbrTiming?: boolean;
  readonly extended?: Readonly<Record<string, unknown>>;
}

/** Fields every rule has, with Kibana's defaults applied. */
export interface RuleBase {
  /** the file as reported in messages (relative to the working directory when possible) */
  readonly file: string;
  readonly ruleId: string;
  readonly name: string;
  readonly description: string;
  readonly type: RuleTypeName;
  readonly author: readonly string[];
  readonly license?: string;
  /** Kibana's rule version (default 1) */
  readonly version: number;
  readonly revision?: number;
  readonly enabled: boolean;
  readonly riskScore: number;
  readonly severity: Severity;
  readonly riskScoreMapping: readonly RiskScoreMappingEntry[];
  readonly severityMapping: readonly SeverityMappingEntry[];
  /** schedule, default "5m" */
  readonly interval: string;
  readonly intervalMs: number;
  /** date math, default "now-6m" */
  readonly from: string;
  /** date math, default "now" */
  readonly to: string;
  /** alerts per run, default 100 */
  readonly maxSignals: number;
  readonly timestampOverride?: string;
  readonly timestampOverrideFallbackDisabled: boolean;
  /** EQL's timestamp_field; undefined for other types */
  readonly timestampField?: string;
  readonly tags: readonly string[];
  readonly threat: readonly ThreatMapping[];
  readonly references: readonly string[];
  readonly falsePositives: readonly string[];
  readonly note?: string;
  readonly setup?: string;
  readonly exceptionsList: readonly ExceptionListRef[];
  readonly buildingBlockType?: 'default';
  readonly ruleNameOverride?: string;
  readonly timelineId?: string;
  readonly timelineTitle?: string;
  readonly throttle?: string;
  readonly investigationFields: readonly string[];
  readonly relatedIntegrations: readonly RelatedIntegration[];
  readonly requiredFields: readonly RequiredField[];
  /** Kibana filters, actions and meta, kept as written */
  readonly filters: readonly unknown[];
  readonly actions: readonly unknown[];
  readonly meta?: Readonly<Record<string, unknown>>;
  /** `[transform]` (investigation-guide plugins), kept as written */
  readonly transform?: Readonly<Record<string, unknown>>;
  readonly metadata: RuleMetadata;
  /** the whole parsed TOML document */
  readonly raw: TomlTable;
}

interface SearchRuleBase extends RuleBase {
  readonly supported: true;
  readonly language: QueryLanguage;
  readonly query: string;
  /** index patterns; empty when the rule names a data view instead */
  readonly index: readonly string[];
  readonly dataViewId?: string;
}

export interface QueryRule extends SearchRuleBase {
  readonly type: 'query';
  readonly alertSuppression?: AlertSuppression;
}

export interface NewTermsRule extends SearchRuleBase {
  readonly type: 'new_terms';
  readonly newTerms: {
    /** 1 to 3 fields */
    readonly fields: readonly string[];
    /** date math, earlier than `from`, resolved against the window's `to` */
    readonly historyWindowStart: string;
  };
  readonly alertSuppression?: AlertSuppression;
}

export interface ThresholdRule extends SearchRuleBase {
  readonly type: 'threshold';
  readonly threshold: {
    /** group-by fields, 0 to 5 (empty: one group over all documents) */
    readonly field: readonly string[];
    readonly value: number;
    readonly cardinality: readonly { readonly field: string; readonly value: number }[];
  };
  readonly alertSuppression?: ThresholdAlertSuppression;
}

export type RunnableRule = QueryRule | NewTermsRule | ThresholdRule;

/** A valid rule of a type kdw does not run yet (eql, esql, machine_learning, threat_match, saved_query). */
export interface UnsupportedRule extends RuleBase {
  readonly type: UnsupportedTypeName;
  readonly supported: false;
  readonly reason: 'type not supported yet';
  readonly language?: RuleLanguage;
  readonly query?: string;
  readonly index: readonly string[];
}

export type Rule = RunnableRule | UnsupportedRule;
