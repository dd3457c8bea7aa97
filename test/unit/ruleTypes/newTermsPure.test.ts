import { termsAccess } from '../../../src/ruleTypes/newTerms/fields';
import { newTermsAlertId, termKey } from '../../../src/ruleTypes/newTerms/ids';
import { combinations } from '../../../src/ruleTypes/newTerms/source';
import type { FieldTypesSnapshot } from '../../../src/ruleTypes/types';

function snapshot(byField: Record<string, Record<string, string[]>>, indices: string[]): FieldTypesSnapshot {
  return {
    indices,
    types: new Map(Object.entries(byField).map(([f, byType]) => [f, new Set(Object.keys(byType))])),
    indicesByType: (field) => new Map(Object.entries(byField[field] ?? {})),
  };
}

describe('termsAccess', () => {
  const ua = 'kubernetes.audit.userAgent';

  it('aggregates keyword fields directly', () => {
    expect(termsAccess([ua], snapshot({ [ua]: { keyword: ['a', 'b'] } }, ['a', 'b']))).toEqual({
      access: { kind: 'aggregate', fields: [ua] },
      warnings: [],
    });
  });

  it('uses a keyword sub-field that every index has, with a warning naming field and indices', () => {
    const result = termsAccess(
      [ua],
      snapshot({ [ua]: { text: ['a', 'b'] }, [`${ua}.keyword`]: { keyword: ['a', 'b'] } }, ['a', 'b']),
    );
    expect(result.access).toEqual({ kind: 'aggregate', fields: [`${ua}.keyword`] });
    expect(result.warnings).toEqual([
      {
        code: 'non_aggregatable_field',
        message: `new_terms field ${ua} is text in a, b and cannot be aggregated: used its keyword sub-field ${ua}.keyword`,
      },
    ]);
  });

  it('reads _source when the field is text somewhere and no sub-field covers every index', () => {
    const result = termsAccess(
      [ua, 'user.name'],
      snapshot(
        {
          [ua]: { text: ['new'], keyword: ['old'] },
          [`${ua}.keyword`]: { keyword: ['new'] },
          'user.name': { keyword: ['new', 'old'] },
        },
        ['new', 'old'],
      ),
    );
    expect(result.access).toEqual({ kind: 'source', fields: [ua, 'user.name'], textFields: new Set([ua]) });
    expect(result.warnings[0]?.message).toBe(
      `new_terms field ${ua} is text/keyword in new and cannot be aggregated: its exact values were read from _source`,
    );
  });

  it('says so when a field is not mapped at all, instead of returning silently empty', () => {
    expect(termsAccess(['nope'], snapshot({}, ['a']))).toEqual({
      access: { kind: 'unmapped', field: 'nope' },
      warnings: [
        {
          code: 'non_aggregatable_field',
          message: 'new_terms field nope is not mapped in any of a: no new terms can be found',
        },
      ],
    });
  });
});

describe('combinations from _source', () => {
  it('gives one combination per array value, as composite aggregations do', () => {
    expect(combinations({ a: ['x', 'y'], b: { c: 1 } }, ['a', 'b.c'])).toEqual([
      ['x', 1],
      ['y', 1],
    ]);
  });

  it('gives none when a field is missing or holds no scalar', () => {
    expect(combinations({ a: 'x' }, ['a', 'b'])).toEqual([]);
    expect(combinations({ a: [{ o: 1 }] }, ['a'])).toEqual([]);
  });

  it('reads dotted keys and de-duplicates repeated values', () => {
    expect(combinations({ 'user.name': ['u', 'u'] }, ['user.name'])).toEqual([['u']]);
  });
});

describe('new_terms alert ids', () => {
  it('depend on rule, space, values and first-seen time only', () => {
    const id = newTermsAlertId('rule', 'default', ['curl/8.5.0'], Date.parse('2026-11-23T10:00:00Z'));
    expect(id).toMatch(/^[0-9a-f]{64}$/);
    expect(newTermsAlertId('rule', 'default', ['curl/8.5.0'], Date.parse('2026-11-23T10:00:00Z'))).toBe(id);
    expect(newTermsAlertId('rule', 'default', ['curl/8.5.0'], Date.parse('2026-11-30T10:00:00Z'))).not.toBe(
      id,
    );
    expect(newTermsAlertId('rule', 'other', ['curl/8.5.0'], Date.parse('2026-11-23T10:00:00Z'))).not.toBe(id);
    expect(newTermsAlertId('rule2', 'default', ['curl/8.5.0'], Date.parse('2026-11-23T10:00:00Z'))).not.toBe(
      id,
    );
    expect(termKey(['a', 1])).not.toBe(termKey(['a', '1']));
  });
});
