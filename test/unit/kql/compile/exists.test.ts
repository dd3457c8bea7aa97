import { compileQuery, KqlCompileError } from '../../../../src/kql';
import { types } from '../../../helpers/kqlAst';

const fieldTypes = types({ a: ['keyword'], ab: ['text'], r: ['nested'], 'r.v': ['keyword'] });
const kql = (query: string): unknown => compileQuery({ language: 'kuery', query, fieldTypes });

describe('compile exists (field:*)', () => {
  it('is an exists query in a should of one', () => {
    expect(kql('a:*')).toEqual({ bool: { should: [{ exists: { field: 'a' } }], minimum_should_match: 1 } });
    expect(kql('missing:*')).toEqual({
      bool: { should: [{ exists: { field: 'missing' } }], minimum_should_match: 1 },
    });
  });

  it('negated, matches the documents without the field', () => {
    expect(kql('not a:*')).toEqual({
      bool: { must_not: { bool: { should: [{ exists: { field: 'a' } }], minimum_should_match: 1 } } },
    });
  });

  it('expands field patterns', () => {
    expect(kql('a*:*')).toEqual({
      bool: { should: [{ exists: { field: 'a' } }, { exists: { field: 'ab' } }], minimum_should_match: 1 },
    });
    expect(kql('r*:*')).toEqual({
      bool: {
        should: [{ nested: { path: 'r', query: { exists: { field: 'r.v' } }, score_mode: 'none' } }],
        minimum_should_match: 1,
      },
    });
  });

  it('refuses a nested field outside its nested group, as Kibana does', () => {
    expect(() => kql('r.v:*')).toThrow(
      new KqlCompileError('r.v is a nested field, but is not in a nested group in the KQL expression.'),
    );
  });
});
