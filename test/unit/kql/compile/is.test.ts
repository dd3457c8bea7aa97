import { compileQuery } from '../../../../src/kql';
import { types } from '../../../helpers/kqlAst';

const fieldTypes = types({
  kw: ['keyword'],
  txt: ['text'],
  mixed: ['keyword', 'text'],
  num: ['long'],
  ts: ['date'],
  nanos: ['date', 'date_nanos'],
  dateOrKw: ['date', 'keyword'],
  flag: ['boolean'],
  addr: ['ip'],
  obj: ['object'],
  'obj.leaf': ['keyword'],
  rules: ['nested'],
  'rules.verbs': ['keyword'],
  'user.name': ['keyword'],
  'user.name.text': ['text'],
});
const kql = (query: string, timeZone?: string): unknown =>
  compileQuery({ language: 'kuery', query, fieldTypes, timeZone });
const one = (clause: unknown): unknown => ({ bool: { should: [clause], minimum_should_match: 1 } });

describe('compile is (field:value)', () => {
  it.each([
    ['kw:abc', { term: { kw: { value: 'abc' } } }],
    ['kw:"a b"', { term: { kw: { value: 'a b' } } }],
    ['kw:ABC', { term: { kw: { value: 'ABC' } } }],
    ['kw:true', { term: { kw: { value: true } } }],
    ['kw:null', { term: { kw: { value: null } } }],
    ['kw:ab*', { wildcard: { kw: { value: 'ab*' } } }],
    ['kw:*a\\:b/c-d?*', { wildcard: { kw: { value: '*a\\:b\\/c\\-d\\?*' } } }],
    ['kw:a\\*b*', { wildcard: { kw: { value: 'a\\*b*' } } }],
    ['kw:**', { wildcard: { kw: { value: '**' } } }],
    ['txt:abc', { match: { txt: 'abc' } }],
    ['txt:"a b"', { match_phrase: { txt: 'a b' } }],
    ['txt:a b', { match: { txt: 'a b' } }],
    ['txt:ab*', { query_string: { fields: ['txt'], query: 'ab*' } }],
    ['mixed:abc', { match: { mixed: 'abc' } }],
    ['mixed:ab*', { query_string: { fields: ['mixed'], query: 'ab*' } }],
    ['num:42', { match: { num: '42' } }],
    ['flag:true', { match: { flag: true } }],
    ['addr:"10.0.0.1"', { match_phrase: { addr: '10.0.0.1' } }],
    ['addr:10.0.0.0/8', { match: { addr: '10.0.0.0/8' } }],
    ['user.name:alice', { term: { 'user.name': { value: 'alice' } } }],
    ['user.name.text:alice', { match: { 'user.name.text': 'alice' } }],
    ['obj.leaf:x', { term: { 'obj.leaf': { value: 'x' } } }],
    ['dateOrKw:x', { match: { dateOrKw: 'x' } }],
    ['missing:x', { match: { missing: 'x' } }],
    ['missing:"x y"', { match_phrase: { missing: 'x y' } }],
    ['missing:x*', { query_string: { fields: ['missing'], query: 'x*' } }],
    // an object field is not a data view field: sent by its raw name
    ['obj:x', { match: { obj: 'x' } }],
  ])('%s', (query, clause) => {
    expect(kql(query)).toEqual(one(clause));
  });

  it('dates become a range on the exact value, with the time zone unless the value is an epoch', () => {
    expect(kql('ts:"2024-05-01T10:00:00"', 'Zulu')).toEqual(
      one({ range: { ts: { gte: '2024-05-01T10:00:00', lte: '2024-05-01T10:00:00', time_zone: 'Zulu' } } }),
    );
    expect(kql('ts:2024-05-01')).toEqual(one({ range: { ts: { gte: '2024-05-01', lte: '2024-05-01' } } }));
    expect(kql('ts:1714557600000', 'Zulu')).toEqual(
      one({ range: { ts: { gte: '1714557600000', lte: '1714557600000' } } }),
    );
    expect(kql('nanos:"2024-05-01"', 'UTC')).toEqual(
      one({ range: { nanos: { gte: '2024-05-01', lte: '2024-05-01', time_zone: 'UTC' } } }),
    );
    expect(kql('ts:2024*', 'Zulu')).toEqual(one({ query_string: { fields: ['ts'], query: '2024*' } }));
  });

  it('bare values search every field', () => {
    expect(kql('foo')).toEqual({ multi_match: { type: 'best_fields', query: 'foo', lenient: true } });
    expect(kql('"foo bar"')).toEqual({ multi_match: { type: 'phrase', query: 'foo bar', lenient: true } });
    expect(kql('true')).toEqual({ multi_match: { type: 'best_fields', query: true, lenient: true } });
    expect(kql('fo*o')).toEqual({ query_string: { query: 'fo*o' } });
    expect(kql('*')).toEqual({ query_string: { query: '*' } });
    expect(kql('null:x')).toEqual({ multi_match: { type: 'best_fields', query: 'x', lenient: true } });
  });

  it('expands wildcard field names over the mapped fields, each by its own type', () => {
    expect(kql('user.name*:alice')).toEqual({
      bool: {
        should: [{ term: { 'user.name': { value: 'alice' } } }, { match: { 'user.name.text': 'alice' } }],
        minimum_should_match: 1,
      },
    });
    expect(kql('nomatch*:x')).toEqual(one({ match: { 'nomatch*': 'x' } }));
    expect(kql('"kw*":x')).toEqual(one({ match: { 'kw*': 'x' } }));
  });

  it('puts wildcard-field matches under a nested path into a nested query', () => {
    expect(kql('rules.*:get')).toEqual(
      one({
        nested: { path: 'rules', query: { term: { 'rules.verbs': { value: 'get' } } }, score_mode: 'none' },
      }),
    );
  });
});
