import type { RuleTypeName } from '../types';
import type { RuleTypeSpec } from './ruleType';
import { newTermsType, queryType, thresholdType } from './searchTypes';
import { eqlType, esqlType, machineLearningType, savedQueryType, threatMatchType } from './unsupportedTypes';

/** Every rule type and its keys; the loader looks the type up here and never branches on it. */
export const RULE_TYPES = {
  query: queryType,
  new_terms: newTermsType,
  threshold: thresholdType,
  eql: eqlType,
  esql: esqlType,
  machine_learning: machineLearningType,
  threat_match: threatMatchType,
  saved_query: savedQueryType,
} satisfies Record<RuleTypeName, RuleTypeSpec>;
