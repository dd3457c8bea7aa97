import { KdwError } from '../errors';

/** A point in a rule file. Lines and columns are 1-based. */
export interface SourcePosition {
  readonly line: number;
  readonly column: number;
}

/** One finding about a rule file: where, which key, and what is wrong. */
export interface RuleIssue extends SourcePosition {
  readonly file: string;
  /** dotted key path with array indices, e.g. `rule.threat[0].tactic.id`; `file` or `toml` for whole-file problems */
  readonly key: string;
  readonly message: string;
}

/** `rules/x.toml:12:1: rule.severity: must be one of low, medium, high, critical (got "urgent")` */
export function formatIssue(issue: RuleIssue): string {
  return `${issue.file}:${issue.line}:${issue.column}: ${issue.key}: ${issue.message}`;
}

/** A rule file that cannot be used. Its message is the formatted issue; `issue` keeps the parts. */
export class RuleError extends KdwError {
  readonly issue: RuleIssue;

  constructor(issue: RuleIssue) {
    super('rule_invalid', formatIssue(issue), {
      file: issue.file,
      line: issue.line,
      column: issue.column,
      key: issue.key,
    });
    this.issue = issue;
  }
}
