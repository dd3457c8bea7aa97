import { parseRuleText, type RuleFileResult } from '../../../src/rules';

/** A minimal valid query rule; line numbers matter to the tests (rule.severity is on line 13). */
export const QUERY_RULE = `[metadata]
creation_date = "2024/01/01"
updated_date = "2024/01/02"

[rule]
author = ["kdw"]
description = "Test rule."
index = ["logs-*"]
language = "kuery"
name = "Test rule"
risk_score = 21
rule_id = "11111111-2222-4333-8444-555555555555"
severity = "low"
type = "query"
query = '''
event.dataset:test
'''
`;

/** A minimal valid new_terms rule: [rule.new_terms] on line 16, history value on line 22. */
export const NEW_TERMS_RULE = `[metadata]
creation_date = "2024/01/01"
updated_date = "2024/01/02"

[rule]
author = ["kdw"]
description = "Test rule."
index = ["logs-*"]
language = "kuery"
name = "Test rule"
risk_score = 21
rule_id = "11111111-2222-4333-8444-555555555555"
severity = "low"
type = "new_terms"
query = "event.dataset:test"
[rule.new_terms]
field = "new_terms_fields"
value = ["user.name"]

[[rule.new_terms.history_window_start]]
field = "history_window_start"
value = "now-7d"
`;

/** A minimal valid threshold rule: [rule.threshold] on line 16. */
export const THRESHOLD_RULE = `[metadata]
creation_date = "2024/01/01"
updated_date = "2024/01/02"

[rule]
author = ["kdw"]
description = "Test rule."
index = ["logs-*"]
language = "kuery"
name = "Test rule"
risk_score = 21
rule_id = "11111111-2222-4333-8444-555555555555"
severity = "low"
type = "threshold"
query = "event.dataset:test"
[rule.threshold]
field = ["source.ip"]
value = 25
`;

/** Replaces one exact piece of text (which must occur) in a rule file. */
export function edit(text: string, from: string, to: string): string {
  if (!text.includes(from)) throw new Error(`fixture has no ${JSON.stringify(from)}`);
  return text.replace(from, to);
}

export function parse(text: string): RuleFileResult {
  return parseRuleText(text, 't.toml');
}

export function messages(result: RuleFileResult): string[] {
  return result.ok ? [] : result.errors.map((e) => e.message);
}
