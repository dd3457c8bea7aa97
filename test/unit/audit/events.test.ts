import { parseAuditLine } from '../../../src/audit/events';

const event = (id: string): string =>
  JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: id,
    stage: 'ResponseComplete',
    verb: 'get',
  });

describe('parseAuditLine', () => {
  it('reads one Event per line', () => {
    const parsed = parseAuditLine(event('a'), 7);
    expect(parsed.bad).toEqual([]);
    expect(parsed.events.map((e) => e['auditID'])).toEqual(['a']);
  });

  it('reads the items of an EventList line, and reports bad items by index without losing the others', () => {
    const list = `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${event('a')},{"kind":"Pod"},${event('b')}]}`;
    const parsed = parseAuditLine(list, 3);
    expect(parsed.events.map((e) => e['auditID'])).toEqual(['a', 'b']);
    expect(parsed.bad).toEqual([{ line: 3, item: 1, reason: 'not an audit event: kind "Pod"' }]);
  });

  it('names why a line is bad', () => {
    const reason = (text: string, terminated = true): string | undefined =>
      parseAuditLine(text, 1, terminated).bad[0]?.reason;
    expect(reason('{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x","verb":"g')).toBe(
      'truncated JSON',
    );
    expect(reason('{"kind":"Event","apiVersion":"audit.k8s.io/v1","auditID":"x"')).toBe('truncated JSON');
    expect(reason('{"kind":"Event"', false)).toBe(
      'truncated: the last line has no newline and is not complete JSON',
    );
    expect(reason('I1123 12:00:00.000 apiserver started')).toMatch(/^not JSON \(/);
    expect(reason('[1,2]')).toBe('not an audit event: a JSON array');
    expect(reason('42')).toBe('not an audit event: a JSON number');
    expect(reason('{"kind":"Pod","apiVersion":"v1"}')).toBe('not an audit event: kind "Pod"');
    expect(reason('{"kind":"Event","apiVersion":"v1","auditID":"x"}')).toMatch(
      /^not an audit event: apiVersion "v1"/,
    );
    expect(reason('{"kind":"Event","apiVersion":"audit.k8s.io/v1"}')).toBe('not an audit event: no auditID');
  });

  it('accepts v1beta1', () => {
    const beta = event('b').replace('audit.k8s.io/v1', 'audit.k8s.io/v1beta1');
    expect(parseAuditLine(beta, 1).events).toHaveLength(1);
  });
});
