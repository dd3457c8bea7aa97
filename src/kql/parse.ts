import type { KqlNode } from './ast';
import { KqlSyntaxError, type KqlPosition } from './errors';
import { parse as parseReportingErrors } from './generated/errorParser';
import { parse, SyntaxError as PeggySyntaxError, type PeggyExpectation } from './generated/parser';

/** Kibana's words for the grammar's named rules in "Expected …" messages. */
const RULE_WORDS: Readonly<Record<string, string>> = {
  fieldName: 'field name',
  value: 'value',
  literal: 'literal',
  whitespace: 'whitespace',
};

/**
 * Up to this length a failed parse runs again through the memoizing parser so that the message lists exactly
 * what Kibana's lists; beyond it (no rule query comes near) the fast parser's list is reported, which may also
 * name "whitespace", to keep failures on huge inputs fast.
 */
const EXACT_ERROR_MAX_LENGTH = 20_000;

/** Parses a KQL query into its syntax tree. Throws KqlSyntaxError with the position and a caret line. */
export function parseKql(query: string): KqlNode {
  try {
    return parse(query);
  } catch (err) {
    if (isPeggySyntaxError(err)) {
      const exact = query.length <= EXACT_ERROR_MAX_LENGTH ? kibanaExpectations(query) : undefined;
      throw fromPeggy(query, exact ?? err);
    }
    if (err instanceof RangeError) {
      // thousands of nested parentheses exhaust the stack: report it as a query error, not a crash
      throw new KqlSyntaxError(query, 'The query is nested too deeply.', positionAt(query, 0), []);
    }
    throw err;
  }
}

/** The same failure as Kibana's memoizing parser reports it (its expectations differ from the fast one's). */
function kibanaExpectations(query: string): PeggySyntaxError | undefined {
  try {
    parseReportingErrors(query);
  } catch (err) {
    if (isPeggySyntaxError(err)) return err;
  }
  return undefined;
}

function isPeggySyntaxError(err: unknown): err is PeggySyntaxError {
  // both generated parsers define their own SyntaxError class
  return err instanceof Error && err.name === 'SyntaxError' && 'location' in err && 'expected' in err;
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
