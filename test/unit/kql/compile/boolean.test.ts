import { compileQuery } from '../../../../src/kql';
import { types } from '../../../helpers/kqlAst';

const fieldTypes = types({ a: ['keyword'], b: ['keyword'], c: ['keyword'] });
const kql = (query: string): unknown => compileQuery({ language: 'kuery', query, fieldTypes });
const t = (field: string, value: string): unknown => ({
  bool: { should: [{ term: { [field]: { value } } }], minimum_should_match: 1 },
});

describe('compile and / or / not / match all', () => {
  it('and → bool.filter', () => {
    expect(kql('a:1 and b:2 and c:3')).toEqual({ bool: { filter: [t('a', '1'), t('b', '2'), t('c', '3')] } });
  });

  it('or → bool.should with minimum_should_match 1', () => {
    expect(kql('a:1 or b:2')).toEqual({
      bool: { should: [t('a', '1'), t('b', '2')], minimum_should_match: 1 },
    });
  });

  it('not → bool.must_not with one query', () => {
    expect(kql('not a:1')).toEqual({ bool: { must_not: t('a', '1') } });
  });

  it('keeps Kibana precedence: not, then and, then or', () => {
    expect(kql('a:1 or b:2 and not c:3')).toEqual({
      bool: {
        should: [t('a', '1'), { bool: { filter: [t('b', '2'), { bool: { must_not: t('c', '3') } }] } }],
        minimum_should_match: 1,
      },
    });
  });

  it('value lists expand per value with the same operators', () => {
    expect(kql('a:(1 or 2 and not 3)')).toEqual(kql('a:1 or a:2 and not a:3'));
  });

  it('an empty query and *:* match all', () => {
    expect(kql('')).toEqual({ match_all: {} });
    expect(kql('  ')).toEqual({ match_all: {} });
    expect(kql('*:*')).toEqual({ match_all: {} });
    expect(kql('not *:*')).toEqual({ bool: { must_not: { match_all: {} } } });
  });
});
