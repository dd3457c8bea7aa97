import { KqlSyntaxError, parseKql } from '../../../src/kql';
import { and, f, is, lit, not, or, q, wc } from '../../helpers/kqlAst';

describe('parseKql: structure', () => {
  it.each([
    ['', { kind: 'matchAll' }],
    ['   \n ', { kind: 'matchAll' }],
    ['*:*', { kind: 'matchAll' }],
    ['foo', is(null, 'foo')],
    ['  foo ', is(null, 'foo')],
    ['foo bar', is(null, 'foo bar')],
    ['a:John Smith', is('a', 'John Smith')],
    ['foo and bar', and(is(null, 'foo'), is(null, 'bar'))],
    ['foo and\u00a0bar', and(is(null, 'foo'), is(null, 'bar'))],
    ['foo AND bar Or baz', or(and(is(null, 'foo'), is(null, 'bar')), is(null, 'baz'))],
    [
      'foo or bar and baz or qux',
      or(is(null, 'foo'), and(is(null, 'bar'), is(null, 'baz')), is(null, 'qux')),
    ],
    ['(foo or bar) and baz', and(or(is(null, 'foo'), is(null, 'bar')), is(null, 'baz'))],
    ['not (foo or bar)', not(or(is(null, 'foo'), is(null, 'bar')))],
    ['NOT a:b and c:d', and(not(is('a', 'b')), is('c', 'd'))],
    ['a:(b or c)', or(is('a', 'b'), is('a', 'c'))],
    ['a:(b or c and not d)', or(is('a', 'b'), and(is('a', 'c'), not(is('a', 'd'))))],
    ['a:((b or c) and not d)', and(or(is('a', 'b'), is('a', 'c')), not(is('a', 'd')))],
    ['a:"b c"', is('a', q('b c'))],
    ['a : b', is('a', 'b')],
    ['"a b":c', is(f('a b', true), 'c')],
    ['machine*:osx', is(wc('machine', ''), 'osx')],
    ['a:ba*', is('a', wc('ba', ''))],
    ['a:*b*c', is('a', wc('', 'b', 'c'))],
    ['a:**', is('a', wc('', '', ''))],
    ['a:*', { kind: 'exists', field: f('a') }],
    ['a*:*', { kind: 'exists', field: wc('a', '') }],
    ['*', is(null, wc('', ''))],
    ['null:*', is(null, wc('', ''))],
    ['a:true', is('a', lit(true))],
    ['a:false', is('a', lit(false))],
    ['a:null', is('a', lit(null))],
    ['a:"true"', is('a', q('true'))],
    ['true:x', is('true', 'x')],
    ['null:x', is(null, 'x')],
    ['a:TRUE', is('a', 'TRUE')],
    ['a:200', is('a', '200')],
    ['bytes > 1000', { kind: 'range', field: f('bytes'), operator: 'gt', value: lit('1000') }],
    ['bytes>=1000', { kind: 'range', field: f('bytes'), operator: 'gte', value: lit('1000') }],
    ['bytes < "x y"', { kind: 'range', field: f('bytes'), operator: 'lt', value: q('x y') }],
    ['bytes <= a*', { kind: 'range', field: f('bytes'), operator: 'lte', value: wc('a', '') }],
    ['p:{ c:foo }', { kind: 'nested', path: f('p'), child: is('c', 'foo') }],
    [
      'p:{ q:{ c:foo } or c:*}',
      {
        kind: 'nested',
        path: f('p'),
        child: or({ kind: 'nested', path: f('q'), child: is('c', 'foo') }, { kind: 'exists', field: f('c') }),
      },
    ],
  ])('%j', (query, expected) => {
    expect(parseKql(query)).toEqual(expected);
  });
});

describe('parseKql: escapes', () => {
  it.each([
    // unquoted: a backslash before any special character
    ['a:\\\\\\(\\)\\:\\<\\>\\"\\*\\{\\}', '\\():<>"*{}'],
    ['a:system\\:serviceaccount\\:kube-system', 'system:serviceaccount:kube-system'],
    ['a:C\\:\\\\Windows\\\\x.exe', 'C:\\Windows\\x.exe'],
    ['a:x\\ty', 'x\ty'],
    ['a:x\\ry\\nz', 'x\ry\nz'],
    ['a:\\u0041\\u00e9', 'Aé'],
    ['a:x \\or y', 'x or y'],
    ['a:x \\AND y', 'x AND y'],
    ['a:\\Not y', 'Not y'],
    // Kibana reads \n before the keyword rule: \not is a newline and "ot", then trimmed
    ['a:\\not y', 'ot y'],
    // escaped whitespace at the ends is trimmed like spaces
    ['a:\\tx\\t', 'x'],
    ['a:x?y', 'x?y'],
    ['a:x/y-z=w', 'x/y-z=w'],
    ['a:cannon', 'cannon'],
    ['a:x or', 'x or'],
  ])('unquoted %j', (query, value) => {
    expect(parseKql(query)).toEqual(is('a', value));
  });

  it('escaped * is literal, so no wildcard', () => {
    expect(parseKql('a:x\\*')).toEqual(is('a', 'x*'));
    expect(parseKql('a:\\**')).toEqual(is('a', wc('*', '')));
  });

  it.each([
    ['a:"C:\\Windows\\System32"', 'C:\\Windows\\System32'],
    ['a:"say \\"hi\\""', 'say "hi"'],
    ['a:"back\\\\slash"', 'back\\slash'],
    ['a:"\\t\\r\\n"', '\t\r\n'],
    ['a:"\\u0041"', 'A'],
    ['a:"\\\\u0041"', '\\u0041'],
    ['a:"x*y"', 'x*y'],
    ['a:"not or and ( ) : { }"', 'not or and ( ) : { }'],
    ['a:"  padded  "', '  padded  '],
    ['a:""', ''],
    ['a:"\\q"', '\\q'],
  ])('quoted %j', (query, value) => {
    expect(parseKql(query)).toEqual(is('a', q(value)));
  });
});

describe('parseKql: syntax errors (same first line as Kibana)', () => {
  it.each([
    ['response:', 'Expected "(", "{", value, whitespace but end of input found.\nresponse:\n---------^'],
    [
      'response:200 or ',
      'Expected "(", NOT, field name, value but end of input found.\nresponse:200 or \n----------------^',
    ],
    ['response:(200 or )', 'Expected "(", NOT, value but ")" found.\nresponse:(200 or )\n-----------------^'],
    [
      'response:200 and not ',
      'Expected "(", field name, value but end of input found.\nresponse:200 and not \n---------------------^',
    ],
    [
      'response:(200 and not )',
      'Expected "(", value but ")" found.\nresponse:(200 and not )\n----------------------^',
    ],
    ['foo:"ba ', 'Expected "(", "{", value, whitespace but """ found.\nfoo:"ba \n----^'],
    ['foo:"ba "r"', 'Expected AND, OR, end of input but "r" found.\nfoo:"ba "r"\n---------^'],
    ['foo:ba:r', 'Expected AND, OR, end of input but ":" found.\nfoo:ba:r\n------^'],
    ['foo > ', 'Expected literal, whitespace but end of input found.\nfoo > \n------^'],
    ['< 1000', 'Expected "(", NOT, end of input, field name, value, whitespace but "<" found.\n< 1000\n^'],
    ['a:b\\c', 'Expected AND, OR, end of input but "\\" found.\na:b\\c\n---^'],
    ['a:\\u12', 'Expected "(", "{", value, whitespace but "\\" found.\na:\\u12\n--^'],
    ['a:cannot run', 'Expected AND, OR, end of input but "n" found.\na:cannot run\n-----^'],
    ['a:"C:\\"', 'Expected "(", "{", value, whitespace but """ found.\na:"C:\\"\n--^'],
  ])('%j', (query, message) => {
    let error: unknown;
    try {
      parseKql(query);
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(KqlSyntaxError);
    expect((error as KqlSyntaxError).message).toBe(message);
    expect((error as KqlSyntaxError).code).toBe('kql_syntax');
  });

  it('points at the line and column of a multi-line query', () => {
    const query = 'event.dataset:kubernetes.audit_logs and\n  kubernetes.audit.verb:(create or )';
    let error: KqlSyntaxError | undefined;
    try {
      parseKql(query);
    } catch (err) {
      if (err instanceof KqlSyntaxError) error = err;
    }
    expect(error?.position).toEqual({ offset: 75, line: 2, column: 36 });
    expect(error?.expected).toEqual(['"("', 'NOT', 'value']);
    expect(error?.found).toBe(')');
    expect(error?.message).toBe(
      'Expected "(", NOT, value but ")" found.\n  kubernetes.audit.verb:(create or )\n-----------------------------------^',
    );
    expect(error?.context).toMatchObject({ offset: 75, line: 2, column: 36 });
  });

  it('reports a query nested too deeply instead of crashing', () => {
    const deep = `${'('.repeat(20_000)}a${')'.repeat(20_000)}`;
    expect(() => parseKql(deep)).toThrow(KqlSyntaxError);
  });
});
