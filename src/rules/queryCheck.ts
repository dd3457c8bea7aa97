import { KqlSyntaxError, parseKql } from '../kql';
import type { RuleIssue, SourcePosition } from './issues';
import type { LoadedRule } from './parse';

/** Where a position inside the query text lies in the rule file, given where the query text begins. */
export function filePosition(queryStart: SourcePosition, inQuery: SourcePosition): SourcePosition {
  return inQuery.line === 1
    ? { line: queryStart.line, column: queryStart.column + inQuery.column - 1 }
    : { line: queryStart.line + inQuery.line - 1, column: inQuery.column };
}

/**
 * KQL syntax errors of a loaded rule, placed at file:line:col of the rule file (Lucene queries are parsed by
 * Elasticsearch itself; EQL and ES|QL rules are not run by kdw).
 */
export function kqlIssues(loaded: LoadedRule): RuleIssue[] {
  const rule = loaded.rule;
  if (rule.language !== 'kuery' || rule.query === undefined) return [];
  try {
    parseKql(rule.query);
    return [];
  } catch (err) {
    if (!(err instanceof KqlSyntaxError)) throw err;
    const at = filePosition(loaded.queryPosition ?? { line: 1, column: 1 }, err.position);
    return [{ file: rule.file, line: at.line, column: at.column, key: 'rule.query', message: `KQL syntax error: ${err.message}` }];
  }
}
