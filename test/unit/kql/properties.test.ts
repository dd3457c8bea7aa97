import fc from 'fast-check';
import {
  compileQuery,
  KqlSyntaxError,
  parseKql,
  printKql,
  type KqlField,
  type KqlNode,
  type KqlValue,
} from '../../../src/kql';
import { types } from '../../helpers/kqlAst';

/**
 * CPU milliseconds spent by this process in `fn`: the tests share two cores with other jobs, so wall time
 * says more about the machine's load than about the parser.
 */
function cpuMs(fn: () => void): number {
  const start = process.cpuUsage();
  fn();
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}

// Characters that exercise every escape and keyword rule of the grammar.
const TRICKY = [
  'a',
  'b',
  'Z',
  '0',
  '.',
  '-',
  '/',
  '?',
  '@',
  ' ',
  ' ',
  '\t',
  '\n',
  '\r',
  '\u00a0',
  '\\',
  '(',
  ')',
  ':',
  '<',
  '>',
  '"',
  '*',
  '{',
  '}',
  'é',
  '\u2028',
  'or',
  'and',
  'not',
  'OR',
  'And',
  'NOT',
  'null',
  'true',
  'u0041',
];
const text = fc.oneof(
  fc.array(fc.constantFrom(...TRICKY), { maxLength: 8 }).map((parts) => parts.join('')),
  fc.string({ maxLength: 8, unit: 'binary' }),
);

/** Unquoted text as the parser leaves it: trimmed, and never the typed words. */
const unquotedText = text.filter((s) => s === s.trim() && !['true', 'false', 'null'].includes(s));

const literalValue: fc.Arbitrary<KqlValue> = fc.oneof(
  text.map((value): KqlValue => ({ type: 'literal', value, quoted: true })),
  unquotedText.map((value): KqlValue => ({ type: 'literal', value, quoted: false })),
  fc.constantFrom<KqlValue>(
    { type: 'literal', value: true, quoted: false },
    { type: 'literal', value: false, quoted: false },
    { type: 'literal', value: null, quoted: false },
  ),
);

const wildcard = fc.array(text, { minLength: 2, maxLength: 4 }).map((parts) => {
  const out = [...parts];
  out[0] = (out[0] ?? '').trimStart();
  out[out.length - 1] = (out[out.length - 1] ?? '').trimEnd();
  return { type: 'wildcard' as const, parts: out };
});
const lone = (v: KqlValue | KqlField): boolean =>
  v.type === 'wildcard' && v.parts.every((p) => p === '') && v.parts.length === 2;

const value: fc.Arbitrary<KqlValue> = fc.oneof(literalValue, wildcard);
const field: fc.Arbitrary<KqlField> = fc.oneof(
  text.map((v): KqlField => ({ type: 'literal', value: v, quoted: true })),
  unquotedText
    .filter((s) => s !== 'null')
    .map((v): KqlField => ({ type: 'literal', value: v, quoted: false })),
  fc.constantFrom<KqlField>({ type: 'literal', value: 'true', quoted: false }),
  wildcard,
);

const { node } = fc.letrec<{ node: KqlNode }>((tie) => ({
  node: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant<KqlNode>({ kind: 'matchAll' }),
    fc
      .record({ field: fc.option(field, { nil: null }), value })
      .filter(({ field: fl, value: v }) => !lone(v) || fl === null)
      .map(({ field: fl, value: v }): KqlNode => ({ kind: 'is', field: fl, value: v })),
    field.filter((fl) => !lone(fl)).map((fl): KqlNode => ({ kind: 'exists', field: fl })),
    fc
      .record({
        field,
        operator: fc.constantFrom('gt' as const, 'gte' as const, 'lt' as const, 'lte' as const),
        value,
      })
      .map((r): KqlNode => ({ kind: 'range', ...r })),
    fc.record({ path: field, child: tie('node') }).map((r): KqlNode => ({ kind: 'nested', ...r })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((children): KqlNode => ({ kind: 'and', children })),
    fc
      .array(tie('node'), { minLength: 2, maxLength: 3 })
      .map((children): KqlNode => ({ kind: 'or', children })),
    tie('node').map((child): KqlNode => ({ kind: 'not', child })),
  ),
}));

describe('KQL properties', () => {
  it('printing a tree and parsing it again gives the same tree', () => {
    fc.assert(
      fc.property(node, (tree) => {
        expect(parseKql(printKql(tree))).toEqual(tree);
      }),
      { numRuns: 1500 },
    );
  });

  it('every query that parses prints to a query that parses to the same tree', () => {
    const query = fc.array(fc.constantFrom(...TRICKY, 'f', 'g.h', ':', ' or ', ' and ', 'not '), {
      maxLength: 14,
    });
    fc.assert(
      fc.property(query, (parts) => {
        let tree: KqlNode;
        try {
          tree = parseKql(parts.join(''));
        } catch (err) {
          expect(err).toBeInstanceOf(KqlSyntaxError);
          return;
        }
        expect(parseKql(printKql(tree))).toEqual(tree);
      }),
      { numRuns: 2500 },
    );
  });

  it('no input crashes the parser: a tree or a KqlSyntaxError', () => {
    fc.assert(
      fc.property(
        fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme' }), fc.string()),
        (input) => {
          try {
            parseKql(input);
          } catch (err) {
            expect(err).toBeInstanceOf(KqlSyntaxError);
          }
        },
      ),
      { numRuns: 2500 },
    );
  });

  it('whatever parses also compiles', () => {
    const fieldTypes = types({
      a: ['keyword'],
      b: ['text'],
      'a.b': ['date'],
      n: ['nested'],
      'n.x': ['keyword'],
    });
    fc.assert(
      fc.property(node, (tree) => {
        try {
          compileQuery({ language: 'kuery', query: printKql(tree), fieldTypes, timeZone: 'Zulu' });
        } catch (err) {
          // only Kibana's nested-field checks may refuse a well-formed query
          expect((err as { code?: string }).code).toBe('kql_compile');
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('parses a 100 KB query in well under a second', () => {
    const clause = (i: number): string =>
      `(kubernetes.audit.verb:(create or update or "patch") and not user.name:system\\:node\\:${i}* and code >= ${i})`;
    let query = '';
    for (let i = 0; query.length < 100_000; i++) query += `${i === 0 ? '' : ' or\n'}${clause(i)}`;
    let kind = '';
    expect(cpuMs(() => (kind = parseKql(query).kind))).toBeLessThan(500);
    expect(kind).toBe('or');
  });

  it('parses a 100 KB unquoted value and 100 KB of spaces in well under a second', () => {
    for (const query of [
      `a:${'x y '.repeat(25_000)}z`,
      `${' '.repeat(100_000)}a:b`,
      `a:"${'q'.repeat(100_000)}"`,
    ]) {
      expect(cpuMs(() => parseKql(query))).toBeLessThan(500);
    }
  });

  it('rejects a 100 KB query with an error at its end in well under a second', () => {
    const query = `${'a:b and '.repeat(12_500)}(`;
    expect(cpuMs(() => expect(() => parseKql(query)).toThrow(KqlSyntaxError))).toBeLessThan(500);
  });
});
