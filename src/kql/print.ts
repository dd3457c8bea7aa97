import type { KqlField, KqlNode, KqlNodeKind, KqlNodeOf, KqlValue } from './ast';

/**
 * Prints a syntax tree as KQL that parses back to the same tree (parseKql(printKql(n)) deep-equals n for
 * every tree the parser builds). Field lists are written out (`f:(a or b)` prints as `(f: a or f: b)`).
 */
export function printKql(node: KqlNode): string {
  return print(node);
}

type Printer<K extends KqlNodeKind> = (node: KqlNodeOf<K>) => string;

const PRINTERS = {
  matchAll: () => '*: *',
  is: (node) =>
    node.field === null ? printValue(node.value) : `${printValue(node.field)}: ${printValue(node.value)}`,
  exists: (node) => `${printValue(node.field)}: *`,
  range: (node) => `${printValue(node.field)} ${OPERATORS[node.operator]} ${printValue(node.value)}`,
  nested: (node) => `${printValue(node.path)}: { ${print(node.child)} }`,
  and: (node) => node.children.map(operand).join(' and '),
  or: (node) => node.children.map(operand).join(' or '),
  not: (node) => `not ${operand(node.child)}`,
} satisfies { [K in KqlNodeKind]: Printer<K> };

const OPERATORS = { gt: '>', gte: '>=', lt: '<', lte: '<=' } as const;

function print(node: KqlNode): string {
  return (PRINTERS[node.kind] as Printer<typeof node.kind>)(node as never);
}

/** Boolean operands and negated groups keep their grouping in parentheses. */
function operand(node: KqlNode): string {
  return node.kind === 'and' || node.kind === 'or' || node.kind === 'not' ? `(${print(node)})` : print(node);
}

function printValue(value: KqlValue | KqlField): string {
  if (value.type === 'wildcard') return value.parts.map(escapeUnquoted).join('*');
  if (value.quoted) return `"${String(value.value).replace(/[\\"]/g, (c) => `\\${c}`)}"`;
  if (typeof value.value !== 'string') return String(value.value);
  // the parser trims unquoted text, so an empty value can only come from escaped whitespace
  return value.value === '' ? '\\t' : escapeUnquoted(value.value);
}

const SPECIAL = /[\\():<>"*{}]/;
const SPACE = /[ \t\r\n\u00a0]/;
const ESCAPED_SPACE: Readonly<Record<string, string>> = { '\t': '\\t', '\r': '\\r', '\n': '\\n' };

/**
 * Escapes text for an unquoted value: special characters with a backslash, tab/CR/LF as \t \r \n, and the
 * first letter of anything the parser could read as a keyword as \uXXXX (`\not` would be read as a newline
 * and "ot"). The text may be followed by whitespace in the printed query, so a keyword at its end counts.
 */
function escapeUnquoted(text: string): string {
  let out = '';
  for (let i = 0; i < text.length; i++) {
    const c = text.charAt(i);
    if (SPECIAL.test(c)) out += `\\${c}`;
    else if (ESCAPED_SPACE[c] !== undefined) out += ESCAPED_SPACE[c];
    else if (startsKeyword(text, i)) out += `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
    else out += c;
  }
  return out;
}

const NOT_AHEAD = /^not(?:[ \t\r\n\u00a0]|$)/i;
const OR_AND_AHEAD = /^(?:or|and)(?:[ \t\r\n\u00a0]|$)/i;

function startsKeyword(text: string, i: number): boolean {
  const rest = text.slice(i, i + 4);
  return NOT_AHEAD.test(rest) || ((i === 0 || SPACE.test(text.charAt(i - 1))) && OR_AND_AHEAD.test(rest));
}
