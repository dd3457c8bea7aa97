import { KdwError } from '../errors';

export interface KqlPosition {
  /** 0-based offset in the query */
  readonly offset: number;
  /** 1-based */
  readonly line: number;
  /** 1-based */
  readonly column: number;
}

/**
 * A KQL query that does not parse. The message has Kibana's first line ("Expected … but … found."), then the
 * failing line of the query and a caret under the failing column.
 */
export class KqlSyntaxError extends KdwError {
  readonly position: KqlPosition;
  /** what the parser expected at that spot, as in Kibana's message (sorted, unique) */
  readonly expected: readonly string[];
  /** the character found there, or undefined at the end of the query */
  readonly found: string | undefined;
  /** Kibana's first line, without the query and the caret */
  readonly shortMessage: string;
  /** the failing line of the query and the caret line under it */
  readonly excerpt: string;

  constructor(
    query: string,
    shortMessage: string,
    position: KqlPosition,
    expected: readonly string[],
    found?: string,
  ) {
    const excerpt = caretExcerpt(query, position);
    super('kql_syntax', `${shortMessage}\n${excerpt}`, {
      offset: position.offset,
      line: position.line,
      column: position.column,
      expected,
    });
    this.position = position;
    this.expected = expected;
    this.found = found;
    this.shortMessage = shortMessage;
    this.excerpt = excerpt;
  }
}

/** The query is well formed but cannot be compiled against these fields (Kibana's nested-field checks). */
export class KqlCompileError extends KdwError {
  constructor(message: string, context: Record<string, string> = {}) {
    super('kql_compile', message, context);
  }
}

/** The line of `query` that holds `position`, and a line of dashes and a caret under its column. */
export function caretExcerpt(query: string, position: KqlPosition): string {
  // lines as the parser counts them: only \n ends a line
  const lines = query.split('\n');
  const line = lines[position.line - 1] ?? '';
  return `${line}\n${'-'.repeat(Math.max(0, position.column - 1))}^`;
}
