/** Rules: load, validate and describe detection-rules TOML files. */
export { isDateMath, parseDateMath, resolveDateMath } from './dateMath';
export { parseDurationMs } from './duration';
export { formatIssue, RuleError, type RuleIssue, type SourcePosition } from './issues';
export { isRuleFileName, loadRuleFile, loadRules, type LoadOptions, type LoadRulesResult } from './loader';
export {
  MAX_RULE_FILE_BYTES,
  parseRuleBytes,
  parseRuleText,
  type LoadedRule,
  type RuleFileResult,
} from './parse';
export { RULE_DEFAULTS } from './schema/base';
export { MAX_SIGNALS_LIMIT } from './schema/parts';
export type * from './types';
export { RULE_TYPE_NAMES, SEVERITIES, MATURITIES } from './types';
