import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseRuleText } from '../../../src/rules';
import { filePosition, kqlIssues } from '../../../src/rules/queryCheck';

const seed = readFileSync(join(__dirname, '..', '..', '..', 'rules', 'kubernetes_anonymous_request_authorized.toml'), 'utf8');

function loaded(text: string) {
  const result = parseRuleText(text, 'rules/x.toml');
  if (!result.ok) throw new Error(result.errors.map((e) => e.message).join('\n'));
  return result;
}

describe('KQL syntax errors of rule files', () => {
  it('maps a position in the query to the file', () => {
    expect(filePosition({ line: 10, column: 9 }, { line: 1, column: 5 })).toEqual({ line: 10, column: 13 });
    expect(filePosition({ line: 10, column: 9 }, { line: 3, column: 5 })).toEqual({ line: 12, column: 5 });
  });

  it('finds nothing wrong in the seed rule', () => {
    expect(kqlIssues(loaded(seed))).toEqual([]);
  });

  it('names file, line, column and key of a broken query, with the caret', () => {
    const broken = seed.replace('decision:allow', 'decision:(allow');
    const queryLine = broken.split('\n').findIndex((l) => l.startsWith('and kubernetes.audit.user.username')) + 1;
    const [issue] = kqlIssues(loaded(broken));
    expect(issue).toEqual({
      file: 'rules/x.toml',
      line: queryLine,
      column: 35,
      key: 'rule.query',
      message:
        'KQL syntax error: Expected ")", AND, OR but ":" found.\n' +
        'and kubernetes.audit.user.username:("system:anonymous" or "system:unauthenticated" or not *)\n' +
        '----------------------------------^',
    });
  });

  it('leaves Lucene queries to Elasticsearch', () => {
    const lucene = seed.replace('language = "kuery"', 'language = "lucene"').replace('decision:allow', 'decision:(allow');
    expect(kqlIssues(loaded(lucene))).toEqual([]);
  });
});
