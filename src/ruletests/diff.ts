import { getField, valueMatches } from './fields';
import type { ExpectedAlert, RuleTestCase } from './types';

/** An alert the rule produced, as a test sees it: its source document with kibana.alert.* fields added. */
export interface ActualAlert {
  readonly id: string;
  readonly time: string;
  readonly reason: string;
  readonly doc: Readonly<Record<string, unknown>>;
}

export interface FieldDiff {
  readonly field: string;
  readonly expected: unknown;
  readonly actual: unknown;
  readonly equal: boolean;
}

/** An expected alert no actual alert matched, and the actual alert closest to it (most fields equal). */
export interface MissingAlert {
  /** 0-based, in the order of [[case.expect.alerts]] */
  readonly index: number;
  readonly expected: ExpectedAlert;
  readonly closest?: { readonly alert: ActualAlert; readonly fields: readonly FieldDiff[] };
}

export interface Comparison {
  readonly pass: boolean;
  readonly expectedCount: number;
  readonly actualCount: number;
  readonly missing: readonly MissingAlert[];
}

function matches(expected: ExpectedAlert, alert: ActualAlert): boolean {
  return Object.entries(expected).every(([field, value]) => valueMatches(value, getField(alert.doc, field)));
}

export function fieldDiffs(expected: ExpectedAlert, alert: ActualAlert): FieldDiff[] {
  return Object.entries(expected).map(([field, value]) => {
    const actual = getField(alert.doc, field);
    return { field, expected: value, actual, equal: valueMatches(value, actual) };
  });
}

/**
 * Expected alerts matched one to one with actual alerts, in any order (a maximum matching, so a loose
 * expectation never takes the only alert a stricter one fits), and the count checked. Pure.
 */
export function compareAlerts(expect: RuleTestCase['expect'], actual: readonly ActualAlert[]): Comparison {
  const owner = new Array<number | undefined>(actual.length).fill(undefined);
  const assign = (e: number, visited: Set<number>): boolean => {
    const wanted = expect.alerts[e];
    if (wanted === undefined) return false;
    for (let a = 0; a < actual.length; a += 1) {
      const alert = actual[a];
      if (alert === undefined || visited.has(a) || !matches(wanted, alert)) continue;
      visited.add(a);
      const current = owner[a];
      if (current === undefined || assign(current, visited)) {
        owner[a] = e;
        return true;
      }
    }
    return false;
  };
  const missing: MissingAlert[] = [];
  expect.alerts.forEach((wanted, e) => {
    if (assign(e, new Set())) return;
    missing.push({ index: e, expected: wanted });
  });
  const expectedCount = expect.count ?? expect.alerts.length;
  const withClosest = missing.map((m): MissingAlert => {
    const taken = new Set(owner.flatMap((o, a) => (o === undefined ? [] : [a])));
    const candidates = actual.filter((_, a) => !taken.has(a));
    const pool = candidates.length > 0 ? candidates : actual;
    let best: MissingAlert['closest'];
    for (const alert of pool) {
      const fields = fieldDiffs(m.expected, alert);
      const score = fields.filter((f) => f.equal).length;
      if (best === undefined || score > best.fields.filter((f) => f.equal).length) best = { alert, fields };
    }
    return best === undefined ? m : { ...m, closest: best };
  });
  return {
    pass: withClosest.length === 0 && expectedCount === actual.length,
    expectedCount,
    actualCount: actual.length,
    missing: withClosest,
  };
}
