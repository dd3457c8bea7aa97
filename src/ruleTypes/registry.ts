import type { RunnableRule } from '../rules';
import { KdwError } from '../errors';
import { newTermsExecutor } from './newTerms/executor';
import { queryExecutor } from './query/executor';
import type { RuleTypeExecutor } from './types';

type ExecutorFor = {
  [T in RunnableRule['type']]: RuleTypeExecutor<Extract<RunnableRule, { type: T }>> | undefined;
};

/** One executor per rule type; the runner looks rules up here and never branches on the type. */
export const EXECUTORS = {
  query: queryExecutor,
  new_terms: newTermsExecutor,
  threshold: undefined,
} satisfies ExecutorFor;

export class UnsupportedRuleTypeError extends KdwError {
  constructor(type: string, ruleId: string) {
    super('rule_type_not_runnable', `rule type ${type} cannot run yet`, { rule: ruleId, type });
  }
}

export function executorFor<R extends RunnableRule>(rule: R): RuleTypeExecutor<R> {
  const executor = (EXECUTORS as ExecutorFor)[rule.type] as RuleTypeExecutor<R> | undefined;
  if (executor === undefined) throw new UnsupportedRuleTypeError(rule.type, rule.ruleId);
  return executor;
}
