import { compileQuery, KqlCompileError } from '../../../../src/kql';
import { types } from '../../../helpers/kqlAst';

const fieldTypes = types({
  rules: ['nested'],
  'rules.verbs': ['keyword'],
  'rules.sub': ['nested'],
  'rules.sub.name': ['keyword'],
  plain: ['keyword'],
});
const kql = (query: string): unknown => compileQuery({ language: 'kuery', query, fieldTypes });
const one = (clause: unknown): unknown => ({ bool: { should: [clause], minimum_should_match: 1 } });

describe('compile nested', () => {
  it('runs the inner query under the path with relative field names', () => {
    expect(kql('rules:{ verbs:get }')).toEqual({
      nested: {
        path: 'rules',
        query: one({ term: { 'rules.verbs': { value: 'get' } } }),
        score_mode: 'none',
      },
    });
  });

  it('nests paths of inner groups', () => {
    expect(kql('rules:{ sub:{ name:x } and verbs:*}')).toEqual({
      nested: {
        path: 'rules',
        query: {
          bool: {
            filter: [
              {
                nested: {
                  path: 'rules.sub',
                  query: one({ term: { 'rules.sub.name': { value: 'x' } } }),
                  score_mode: 'none',
                },
              },
              one({ exists: { field: 'rules.verbs' } }),
            ],
          },
        },
        score_mode: 'none',
      },
    });
  });

  it('names a bare value inside a group "<path>.null", as Kibana', () => {
    expect(kql('rules:{ get }')).toEqual({
      nested: { path: 'rules', query: one({ match: { 'rules.null': 'get' } }), score_mode: 'none' },
    });
  });

  it.each([
    ['rules.verbs:get', 'rules.verbs is a nested field, but is not in a nested group in the KQL expression.'],
    [
      'rules:{ sub.name:x }',
      'Nested field rules.sub.name is being queried with the incorrect nested path. The correct path is rules.sub.',
    ],
    ['x:{ plain:y }', 'x.plain is a nested field'.replace(/.*/, '')],
  ])('checks nesting like Kibana: %s', (query, message) => {
    if (message === '') {
      // x.plain does not exist: nothing to check, the raw name is sent
      expect(kql(query)).toEqual({
        nested: { path: 'x', query: one({ match: { 'x.plain': 'y' } }), score_mode: 'none' },
      });
      return;
    }
    expect(() => kql(query)).toThrow(new KqlCompileError(message));
  });

  it('refuses a plain field inside a nested group', () => {
    const withPlain = types({
      rules: ['nested'],
      'rules.verbs': ['keyword'],
      'rules.verbsx': ['keyword'],
      plain: ['keyword'],
    });
    expect(() =>
      compileQuery({ language: 'kuery', query: 'rules:{ verbs:get }', fieldTypes: withPlain }),
    ).not.toThrow();
    const wrong = types({ p: ['object'], 'p.x': ['keyword'] });
    expect(() => compileQuery({ language: 'kuery', query: 'p:{ x:1 }', fieldTypes: wrong })).toThrow(
      'p.x is not a nested field but is in nested group "p" in the KQL expression.',
    );
  });
});
