import type { KqlNode } from './ast';
import { KqlSyntaxError, type KqlPosition } from './errors';
import { parse, SyntaxError as PeggySyntaxError, type PeggyExpectation } from './generated/parser';

/** Kibana's words for the grammar's named rules in "Expected …" messages. */
const RULE_WORDS: Readonly<Record<string, string>> = {
  fieldName: 'field name',
  value: 'value',
  literal: 'literal',
  whitespace: 'whitespace',
};

/** Parses a KQL query into its syntax tree. Throws KqlSyntaxError with the position and a caret line. */
export function parseKql(query: string): KqlNode {
  try {
    return parse(query);
  } catch (err) {
    if (err instanceof PeggySyntaxError) throw fromPeggy(query, err);
    if (err instanceof RangeError) {
      // thousands of nested parentheses exhaust the stack: report it as a query error, not a crash
      throw new KqlSyntaxError(query, 'The query is nested too deeply.', positionAt(query, 0), []);
    }
    throw err;
  }
}

function fromPeggy(query: string, err: PeggySyntaxError): KqlSyntaxError {
  const start = err.location.start;
  const position: KqlPosition = { offset: start.offset, line: start.line, column: start.column };
  const found = err.found ?? undefined;
  if (err.expected === null) return new KqlSyntaxError(query, err.message, position, [], found);
  const expected = [...new Set(err.expected.map(expectationText))].sort();
  const foundText = found === undefined ? 'end of input' : `"${found}"`;
  return new KqlSyntaxError(
    query,
    `Expected ${expected.join(', ')} but ${foundText} found.`,
    position,
    expected,
    found,
  );
}

function expectationText(item: PeggyExpectation): string {
  if (item.type === 'end') return 'end of input';
  if (item.type === 'literal') return `"${item.text ?? ''}"`;
  const key = item.type === 'other' ? (item.description ?? '') : (item.text ?? item.description ?? '');
  return RULE_WORDS[key] ?? key;
}

function positionAt(query: string, offset: number): KqlPosition {
  const before = query.slice(0, offset).split('\n');
  return { offset, line: before.length, column: (before[before.length - 1] ?? '').length + 1 };
}
