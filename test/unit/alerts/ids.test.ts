import { createHash } from 'node:crypto';
import { queryAlertId, ruleUuid } from '../../../src/alerts/ids';

describe('alert ids', () => {
  it('reproduces Kibana query-rule ids, "undefined" version included', () => {
    const expected = createHash('sha256').update('idx1doc1undefineddefault:rule-uuid').digest('hex');
    expect(queryAlertId('idx1', 'doc1', 'rule-uuid')).toBe(expected);
    expect(queryAlertId('idx1', 'doc1', 'rule-uuid', 'space2')).not.toBe(expected);
  });

  it('gives each rule_id one stable UUID', () => {
    const a = ruleUuid('63c056a0-339a-11ed-a261-0242ac120002');
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ruleUuid('63c056a0-339a-11ed-a261-0242ac120002')).toBe(a);
    expect(ruleUuid('other')).not.toBe(a);
  });
});
