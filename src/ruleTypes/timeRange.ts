import type { estypes } from '@elastic/elasticsearch';

/**
 * Which timestamp fields a rule searches on, as Kibana decides them: the primary is the
 * timestamp_override (or @timestamp); the secondary, @timestamp, is the fallback for documents that lack
 * the override, unless the rule disables the fallback or the override is @timestamp itself.
 */
export interface TimestampFields {
  readonly primary: string;
  readonly secondary: string | undefined;
}

export function timestampFields(
  timestampOverride: string | undefined,
  fallbackDisabled: boolean,
): TimestampFields {
  const primary = timestampOverride ?? '@timestamp';
  const secondary = primary === '@timestamp' || fallbackDisabled ? undefined : '@timestamp';
  return { primary, secondary };
}

export interface TimeWindow {
  readonly from: Date;
  readonly to: Date;
}

const FORMAT = 'strict_date_optional_time';

function range(field: string, window: TimeWindow): estypes.QueryDslQueryContainer {
  return {
    range: { [field]: { lte: window.to.toISOString(), gte: window.from.toISOString(), format: FORMAT } },
  };
}

/**
 * "primary in [from, to]" OR "primary missing AND secondary in [from, to]"; bounds inclusive, ISO strings,
 * the same shape Kibana sends.
 */
export function timeRangeFilter(fields: TimestampFields, window: TimeWindow): estypes.QueryDslQueryContainer {
  if (fields.secondary === undefined) return range(fields.primary, window);
  return {
    bool: {
      minimum_should_match: 1,
      should: [
        range(fields.primary, window),
        {
          bool: {
            filter: [
              range(fields.secondary, window),
              { bool: { must_not: { exists: { field: fields.primary } } } },
            ],
          },
        },
      ],
    },
  };
}

/** Primary ascending, then secondary ascending, both with unmapped_type date (as Kibana). */
export function timestampSort(fields: TimestampFields): estypes.SortCombinations[] {
  const sort: estypes.SortCombinations[] = [{ [fields.primary]: { order: 'asc', unmapped_type: 'date' } }];
  if (fields.secondary !== undefined)
    sort.push({ [fields.secondary]: { order: 'asc', unmapped_type: 'date' } });
  return sort;
}

/** The `fields` option of Kibana's event search: everything, unmapped too, plus the timestamps formatted. */
export function searchFields(fields: TimestampFields): estypes.QueryDslFieldAndFormat[] {
  const timestamps = fields.secondary === undefined ? [fields.primary] : [fields.primary, fields.secondary];
  return [{ field: '*', include_unmapped: true }, ...timestamps.map((field) => ({ field, format: FORMAT }))];
}
