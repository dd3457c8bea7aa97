import { compileQuery } from '../../../../src/kql';

const lucene = (query: string, timeZone?: string): unknown =>
  compileQuery({ language: 'lucene', query, fieldTypes: new Map(), timeZone });

describe('compile lucene', () => {
  it('is query_string with analyze_wildcard in bool.must, the text untouched', () => {
    expect(lucene('process.name:(a.exe OR b.exe) AND NOT user:*x', 'Zulu')).toEqual({
      bool: {
        must: [
          {
            query_string: {
              query: 'process.name:(a.exe OR b.exe) AND NOT user:*x',
              analyze_wildcard: true,
              time_zone: 'Zulu',
            },
          },
        ],
      },
    });
    expect(lucene('a:b')).toEqual({
      bool: { must: [{ query_string: { query: 'a:b', analyze_wildcard: true } }] },
    });
  });

  it('a blank query matches all', () => {
    expect(lucene('  ')).toEqual({ bool: { must: [{ match_all: {} }] } });
  });
});
