import {
  ABSENT,
  compareAlerts,
  diffLines,
  getField,
  valueMatches,
  type ActualAlert,
} from '../../../src/ruletests';

function alert(id: string, doc: Record<string, unknown>): ActualAlert {
  return { id, time: `2026-01-01T00:00:0${id}.000Z`, reason: `event ${id}`, doc };
}

const anon = alert('1', {
  kubernetes: { audit: { user: { username: 'system:anonymous' }, verb: 'list', requestURI: '/api' } },
  'kibana.alert.new_terms': ['curl/8.5.0'],
});
const alice = alert('2', {
  kubernetes: { audit: { user: { username: 'alice' }, verb: 'list', requestURI: '/api' } },
});

describe('fields of an alert', () => {
  it('reads nested objects, dotted keys, mixes of both, and arrays of objects', () => {
    const doc = {
      kubernetes: { 'audit.annotations': { 'authorization_k8s_io/decision': 'allow' } },
      'kibana.alert.reason': 'r',
      containers: [{ image: 'a' }, { image: ['b', 'c'] }],
    };
    expect(getField(doc, 'kubernetes.audit.annotations.authorization_k8s_io/decision')).toBe('allow');
    expect(getField(doc, 'kibana.alert.reason')).toBe('r');
    expect(getField(doc, 'containers.image')).toEqual(['a', 'b', 'c']);
    expect(getField(doc, 'kubernetes.audit.verb')).toBeUndefined();
  });

  it('matches equal JSON, and a single value against an array that holds it', () => {
    expect(valueMatches({ a: 1, b: [2] }, { b: [2], a: 1 })).toBe(true);
    expect(valueMatches('x', ['y', 'x'])).toBe(true);
    expect(valueMatches(['x'], ['y', 'x'])).toBe(false);
    expect(valueMatches(403, '403')).toBe(false);
    expect(valueMatches('x', undefined)).toBe(false);
  });
});

describe('comparing expected and actual alerts', () => {
  it('passes when counts agree and every expected alert has its own match, in any order', () => {
    const result = compareAlerts(
      {
        alerts: [
          { 'kubernetes.audit.verb': 'list' },
          { 'kubernetes.audit.user.username': 'system:anonymous' },
        ],
      },
      [anon, alice],
    );
    // the loose expectation must not take the only alert the strict one fits
    expect(result).toEqual({ pass: true, expectedCount: 2, actualCount: 2, missing: [] });
  });

  it('fails on the count alone when no alert is listed', () => {
    const result = compareAlerts({ count: 0, alerts: [] }, [alice]);
    expect(result.pass).toBe(false);
    expect(diffLines(result, [alice], ['kubernetes.audit.user.username'])).toEqual([
      'expected 0 alert(s), got 1',
      '  + 2026-01-01T00:00:02.000Z kubernetes.audit.user.username="alice"',
    ]);
    expect(diffLines(result, [alice], [])).toEqual([
      'expected 0 alert(s), got 1',
      '  + 2026-01-01T00:00:02.000Z event 2',
    ]);
  });

  it('shows an expected alert that is missing against the closest actual alert, field by field', () => {
    const expected = {
      'kubernetes.audit.user.username': 'system:anonymous',
      'kubernetes.audit.verb': 'list',
      'kubernetes.audit.objectRef.namespace': 'kube-system',
    };
    const result = compareAlerts({ count: 1, alerts: [expected] }, [alice]);
    expect(result.pass).toBe(false);
    expect(result.missing[0]?.closest?.alert.id).toBe('2');
    expect(diffLines(result, [alice], Object.keys(expected))).toEqual([
      'expected alert 1 not found; closest alert (2026-01-01T00:00:02.000Z), - expected + actual:',
      '  - kubernetes.audit.user.username: "system:anonymous"',
      '  + kubernetes.audit.user.username: "alice"',
      '    kubernetes.audit.verb: "list"',
      '  - kubernetes.audit.objectRef.namespace: "kube-system"',
      '  + kubernetes.audit.objectRef.namespace: (missing)',
    ]);
  });

  it('picks the actual alert with most equal fields, and says so when there is none at all', () => {
    const result = compareAlerts(
      { alerts: [{ 'kubernetes.audit.user.username': 'system:anonymous', 'kubernetes.audit.verb': 'get' }] },
      [alice, anon],
    );
    expect(result.missing[0]?.closest?.alert.id).toBe('1');
    const none = compareAlerts({ alerts: [{ 'kibana.alert.new_terms': ['curl/8.5.0'] }] }, []);
    expect(diffLines(none, [], [])).toEqual([
      'expected 1 alert(s), got 0',
      'expected alert 1 not found (no alert at all):',
      '  - kibana.alert.new_terms: ["curl/8.5.0"]',
    ]);
  });

  it('checks that fields named absent are missing, and shows them as (missing)', () => {
    const noUser = alert('3', { kubernetes: { audit: { requestURI: '/version' } } });
    const wanted = { 'kubernetes.audit.requestURI': '/version', 'kubernetes.audit.user.username': ABSENT };
    expect(compareAlerts({ alerts: [wanted] }, [noUser]).pass).toBe(true);
    const result = compareAlerts({ alerts: [{ 'kubernetes.audit.user.username': ABSENT }] }, [alice]);
    expect(diffLines(result, [alice], [])).toEqual([
      'expected alert 1 not found; closest alert (2026-01-01T00:00:02.000Z), - expected + actual:',
      '  - kubernetes.audit.user.username: (missing)',
      '  + kubernetes.audit.user.username: "alice"',
    ]);
    expect(JSON.stringify({ expected: ABSENT })).toBe('{"expected":"(missing)"}');
  });

  it('compares new terms as arrays', () => {
    expect(compareAlerts({ alerts: [{ 'kibana.alert.new_terms': ['curl/8.5.0'] }] }, [anon]).pass).toBe(true);
  });
});
