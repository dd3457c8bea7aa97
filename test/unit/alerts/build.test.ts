import {
  buildAlert,
  mappedRiskScore,
  mappedRuleName,
  mappedSeverity,
  type AlertRuleInfo,
} from '../../../src/alerts/build';

const rule: AlertRuleInfo = {
  uuid: 'u-1',
  ruleId: 'r-1',
  name: 'Rule',
  description: 'd',
  type: 'query',
  severity: 'low',
  riskScore: 21,
  interval: '5m',
  from: 'now-6m',
  to: 'now',
  maxSignals: 100,
  indices: ['logs-*'],
  tags: ['t'],
  threat: [],
  references: [],
  falsePositives: [],
  note: 'guide',
  author: ['Elastic'],
  license: 'Elastic License v2',
  version: 3,
  timestampOverride: 'event.ingested',
  exceptionsList: [],
  severityMapping: [],
  riskScoreMapping: [],
  ruleNameOverride: undefined,
  buildingBlockType: undefined,
  parameters: { query: 'a:b', language: 'kuery' },
  createdAt: '2022-09-13T00:00:00.000Z',
  updatedAt: '2026-01-30T00:00:00.000Z',
};
const ctx = {
  now: new Date('2026-11-23T10:06:05Z'),
  executionUuid: 'exec-1',
  intendedTimestamp: new Date('2026-11-23T10:06:00Z'),
  space: 'default',
  kibanaVersion: '8.19.21',
  typeOf: () => undefined,
};

describe('buildAlert', () => {
  it('keeps the source nested and adds kibana.* as dotted keys', () => {
    const { id, doc } = buildAlert(
      rule,
      {
        _index: 'idx',
        _id: 'doc',
        _source: {
          '@timestamp': '2026-11-23T10:03:00Z',
          event: { kind: 'event', action: 'get' },
          user: { name: 'alice' },
        },
      },
      'alert-id',
      ctx,
    );
    expect(id).toBe('alert-id');
    expect(doc).toMatchObject({
      '@timestamp': '2026-11-23T10:06:05.000Z',
      event: { action: 'get' },
      user: { name: 'alice' },
      'event.kind': 'signal',
      'kibana.alert.uuid': 'alert-id',
      'kibana.alert.original_time': '2026-11-23T10:03:00.000Z',
      'kibana.alert.ancestors': [{ id: 'doc', type: 'event', index: 'idx', depth: 0 }],
      'kibana.alert.intended_timestamp': '2026-11-23T10:06:00.000Z',
      'kibana.alert.reason': 'event by alice created low alert Rule.',
      'kibana.alert.rule.note': 'guide',
      'kibana.alert.rule.license': 'Elastic License v2',
      'kibana.alert.original_event.kind': 'event',
      'kibana.space_ids': ['default'],
    });
    expect('kibana.alert.rule.rule_name_override' in doc).toBe(false);
  });

  it('is deterministic for one context', () => {
    const hit = { _index: 'i', _id: 'd', _source: { a: 1 } };
    expect(buildAlert(rule, hit, 'x', ctx)).toEqual(buildAlert(rule, hit, 'x', ctx));
  });
});

describe('severity, risk score and name overrides', () => {
  const source = { sev: 'x', risk: '73', name: ['From Source'] };
  it('takes the highest matching severity', () => {
    const severityMapping = [
      { field: 'sev', operator: 'equals', value: 'x', severity: 'medium' },
      { field: 'sev', operator: 'equals', value: 'x', severity: 'high' },
      { field: 'sev', operator: 'equals', value: 'y', severity: 'critical' },
    ];
    expect(mappedSeverity(source, { severity: 'low', severityMapping })).toBe('high');
    expect(mappedSeverity({}, { severity: 'low', severityMapping })).toBe('low');
  });
  it('takes a risk score in 0..100 from the mapped field', () => {
    expect(mappedRiskScore(source, { riskScore: 21, riskScoreMapping: [{ field: 'risk' }] })).toBe(73);
    expect(mappedRiskScore({ risk: 500 }, { riskScore: 21, riskScoreMapping: [{ field: 'risk' }] })).toBe(21);
  });
  it('takes the rule name from a source field', () => {
    expect(mappedRuleName(source, { name: 'R', ruleNameOverride: 'name' })).toBe('From Source');
    expect(mappedRuleName({}, { name: 'R', ruleNameOverride: 'name' })).toBe('R');
  });
});
