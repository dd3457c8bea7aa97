import { compileQuery } from '../../../../src/kql';
import { types } from '../../../helpers/kqlAst';

const fieldTypes = types({
  code: ['integer'],
  ts: ['date'],
  kw: ['keyword'],
  'c.x': ['long'],
  'c.y': ['date'],
});
const kql = (query: string, timeZone?: string): unknown =>
  compileQuery({ language: 'kuery', query, fieldTypes, timeZone });
const one = (clause: unknown): unknown => ({ bool: { should: [clause], minimum_should_match: 1 } });

describe('compile range', () => {
  it.each([
    ['code > 400', { range: { code: { gt: '400' } } }],
    ['code >= 400', { range: { code: { gte: '400' } } }],
    ['code < 400', { range: { code: { lt: '400' } } }],
    ['code <= 400', { range: { code: { lte: '400' } } }],
    ['kw < m', { range: { kw: { lt: 'm' } } }],
    ['kw < "m n"', { range: { kw: { lt: 'm n' } } }],
    ['kw < m*', { range: { kw: { lt: 'm*' } } }],
    ['missing > 1', { range: { missing: { gt: '1' } } }],
  ])('%s', (query, clause) => {
    expect(kql(query, 'Zulu')).toEqual(one(clause));
  });

  it('adds the time zone on date fields, not for epoch values', () => {
    expect(kql('ts >= "2024-01-01"', 'Zulu')).toEqual(
      one({ range: { ts: { gte: '2024-01-01', time_zone: 'Zulu' } } }),
    );
    expect(kql('ts >= now-1d', 'Zulu')).toEqual(one({ range: { ts: { gte: 'now-1d', time_zone: 'Zulu' } } }));
    expect(kql('ts < 1700000000000', 'Zulu')).toEqual(one({ range: { ts: { lt: '1700000000000' } } }));
    expect(kql('ts < "2024"')).toEqual(one({ range: { ts: { lt: '2024' } } }));
  });

  it('expands field patterns, each with its own type', () => {
    expect(kql('c.* > 2024-01-01', 'Zulu')).toEqual({
      bool: {
        should: [
          { range: { 'c.x': { gt: '2024-01-01' } } },
          { range: { 'c.y': { gt: '2024-01-01', time_zone: 'Zulu' } } },
        ],
        minimum_should_match: 1,
      },
    });
  });
});
