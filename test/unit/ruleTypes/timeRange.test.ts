import {
  searchFields,
  timeRangeFilter,
  timestampFields,
  timestampSort,
} from '../../../src/ruleTypes/timeRange';

const window = { from: new Date('2026-11-23T10:00:00.000Z'), to: new Date('2026-11-23T10:06:00.000Z') };
const fmt = 'strict_date_optional_time';

describe('timestampFields', () => {
  it.each([
    [undefined, false, { primary: '@timestamp', secondary: undefined }],
    ['@timestamp', false, { primary: '@timestamp', secondary: undefined }],
    ['event.ingested', false, { primary: 'event.ingested', secondary: '@timestamp' }],
    ['event.ingested', true, { primary: 'event.ingested', secondary: undefined }],
  ])('override %s, fallback disabled %s', (override, disabled, expected) => {
    expect(timestampFields(override, disabled)).toEqual(expected);
  });
});

describe('timeRangeFilter', () => {
  it('is one inclusive range without fallback', () => {
    expect(timeRangeFilter({ primary: '@timestamp', secondary: undefined }, window)).toEqual({
      range: {
        '@timestamp': { gte: '2026-11-23T10:00:00.000Z', lte: '2026-11-23T10:06:00.000Z', format: fmt },
      },
    });
  });

  it('falls back to @timestamp only for documents without the override', () => {
    expect(timeRangeFilter(timestampFields('event.ingested', false), window)).toEqual({
      bool: {
        minimum_should_match: 1,
        should: [
          {
            range: {
              'event.ingested': {
                gte: '2026-11-23T10:00:00.000Z',
                lte: '2026-11-23T10:06:00.000Z',
                format: fmt,
              },
            },
          },
          {
            bool: {
              filter: [
                {
                  range: {
                    '@timestamp': {
                      gte: '2026-11-23T10:00:00.000Z',
                      lte: '2026-11-23T10:06:00.000Z',
                      format: fmt,
                    },
                  },
                },
                { bool: { must_not: { exists: { field: 'event.ingested' } } } },
              ],
            },
          },
        ],
      },
    });
  });
});

describe('sort and fields', () => {
  it('sorts by override then @timestamp, unmapped as date', () => {
    expect(timestampSort(timestampFields('event.ingested', false))).toEqual([
      { 'event.ingested': { order: 'asc', unmapped_type: 'date' } },
      { '@timestamp': { order: 'asc', unmapped_type: 'date' } },
    ]);
  });

  it('asks for every field and the formatted timestamps', () => {
    expect(searchFields(timestampFields('event.ingested', false))).toEqual([
      { field: '*', include_unmapped: true },
      { field: 'event.ingested', format: fmt },
      { field: '@timestamp', format: fmt },
    ]);
  });
});
