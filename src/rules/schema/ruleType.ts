import type { KeyPath } from '../path';
import type { Rule, RuleBase } from '../types';
import type { Collector } from './collector';
import { checkFields, type Fields, type TableOf } from './table';
import { INVALID, type Checked, type Table } from './validators';

/** The fields of RuleBase, built from the keys every type shares; each type adds its own. */
export type RuleBaseParts = Omit<RuleBase, 'type'>;

export type RuleBuilder = (base: RuleBaseParts, c: Collector) => Checked<Rule>;

/** One rule type: the keys it adds to `[rule]`, and how they become a typed Rule. */
export interface RuleTypeSpec {
  readonly fieldNames: readonly string[];
  /** Validates the type's own keys of `[rule]` (at `path`); on success, returns how to finish the rule. */
  check(rule: Table, path: KeyPath, c: Collector): Checked<RuleBuilder>;
}

export function defineRuleType<F extends Fields>(
  fields: F,
  build: (t: TableOf<F>, base: RuleBaseParts, c: Collector, path: KeyPath) => Checked<Rule>,
): RuleTypeSpec {
  return {
    fieldNames: Object.keys(fields),
    check(rule, path, c) {
      const t = checkFields(fields, rule, path, c, { ignoreUnknown: true });
      return t === INVALID ? INVALID : (base, c2) => build(t, base, c2, path);
    },
  };
}
