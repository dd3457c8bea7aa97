import type { estypes } from '@elastic/elasticsearch';
import {
  ALERT_FIELD_MAP,
  alertsMappings,
  fieldTypes,
  KDW_ALERT_FIELDS,
  KEYWORD_IGNORE_ABOVE,
  KIBANA_ALERT_FIELD_MAP,
  mergeProperties,
  toEsProperties,
} from '../../../src/alerts/fieldMap';
import { TYPE_SUBSTITUTIONS } from '../../../src/es/templates/substitutions';

const types = fieldTypes(alertsMappings().properties ?? {});

function kibanaNames(map: Record<string, unknown>): string[] {
  return Object.keys(map).filter((n) => n.startsWith('kibana.'));
}

function allTypes(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => allTypes(v, out));
  else if (typeof value === 'object' && value !== null) {
    for (const [k, v] of Object.entries(value)) {
      if (k === 'type' && typeof v === 'string') out.push(v);
      else allTypes(v, out);
    }
  }
  return out;
}

describe('the alert field map', () => {
  it("has every field the Security alerts table reads by default, with Kibana's type", () => {
    const expected: Record<string, string> = {
      '@timestamp': 'date',
      'kibana.alert.rule.name': 'keyword',
      'kibana.alert.severity': 'keyword',
      'kibana.alert.risk_score': 'float',
      'kibana.alert.reason': 'keyword',
      'kibana.alert.workflow_status': 'keyword',
    };
    for (const [name, type] of Object.entries(expected)) {
      expect([name, ALERT_FIELD_MAP[name]?.type]).toEqual([name, type]);
      expect([name, types.get(name)]).toEqual([name, type]);
    }
    // ECS source fields come from the audit-logs mapping
    expect(types.get('host.name')).toBe('keyword');
    expect(types.get('user.name')).toBe('keyword');
    expect(types.get('user_agent.original')).toBe('keyword');
    expect(types.get('source.ip')).toBe('ip');
    expect(types.get('kubernetes.audit.verb')).toBe('keyword');
    expect(types.get('kubernetes.audit.requestObject.rules')).toBe('nested');
  });

  it('covers the kibana.* fields of Kibana 8.19 to 9.3 (148 from Kibana, 151 with kdw additions)', () => {
    expect(kibanaNames(KIBANA_ALERT_FIELD_MAP)).toHaveLength(148);
    expect(kibanaNames(ALERT_FIELD_MAP).length).toBeGreaterThanOrEqual(150);
    for (const name of Object.keys(KDW_ALERT_FIELDS)) expect(KIBANA_ALERT_FIELD_MAP[name]).toBeUndefined();
  });

  it("keeps Kibana's special types: flattened parameters, object threat, nested enrichments", () => {
    expect(types.get('kibana.alert.rule.parameters')).toBe('flattened');
    expect(types.get('kibana.alert.rule.threat')).toBe('object');
    expect(types.get('kibana.alert.rule.threat.tactic.name')).toBe('keyword');
    expect(types.get('threat.enrichments')).toBe('nested');
    expect(types.get('kibana.alert.ancestors')).toBe('object');
    expect(types.get('kibana.alert.time_range')).toBe('date_range');
    expect(types.get('kibana.alert.reason.text')).toBe('text');
    expect(types.get('kibana.alert.scheduled_action.throttling')).toBeUndefined();
  });

  it('maps kibana.alert.original_event.* like event.*', () => {
    const copies = Object.keys(ALERT_FIELD_MAP).filter((n) => n.startsWith('kibana.alert.original_event.'));
    expect(copies.length).toBeGreaterThanOrEqual(26);
    for (const copy of copies) {
      const original = copy.replace('kibana.alert.original_event.', 'event.');
      // Kibana maps original_event.duration as keyword where ECS's event.duration is long
      const expected = original === 'event.duration' ? 'long' : types.get(copy);
      expect([original, types.get(original)]).toEqual([original, expected]);
    }
  });

  it('leaves no type this Elasticsearch lacks in the mapping', () => {
    const used = new Set(allTypes(alertsMappings()));
    for (const missing of Object.keys(TYPE_SUBSTITUTIONS)) expect(used).not.toContain(missing);
    expect(ALERT_FIELD_MAP['kibana.version']?.type).toBe('version');
    expect(types.get('kibana.version')).toBe('keyword');
  });

  it('is dynamic: false everywhere, so unknown source fields never fail an alert', () => {
    const mapping = alertsMappings();
    expect(mapping.dynamic).toBe(false);
    expect(JSON.stringify(mapping)).not.toMatch(/"dynamic":(true|"true"|"runtime")/);
    expect(mapping.dynamic_templates).toBeUndefined();
  });

  it('bounds every indexed keyword so that no value exceeds the Lucene term limit', () => {
    const props = toEsProperties({ 'kibana.alert.rule.note': { type: 'keyword' } });
    expect(props).toEqual({
      kibana: {
        properties: {
          alert: {
            properties: {
              rule: { properties: { note: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE } } },
            },
          },
        },
      },
    });
  });
});

describe('toEsProperties', () => {
  it('turns dotted names into nested objects, with object and nested entries holding their sub-fields', () => {
    const props = toEsProperties({
      '@timestamp': { type: 'date' },
      'a.b.c': { type: 'long' },
      'a.b.d': { type: 'float' },
      'a.list': { type: 'object', array: true },
      'a.list.id': { type: 'keyword', ignoreAbove: 10 },
      n: { type: 'nested' },
      'n.x': { type: 'boolean' },
      empty: { type: 'object' },
      gone: { type: 'unmapped' },
      m: { type: 'keyword', ignoreAbove: 5, multiFields: { text: 'match_only_text' } },
      u: { type: 'keyword', index: false },
    });
    const expected: Record<string, estypes.MappingProperty> = {
      '@timestamp': { type: 'date' },
      a: {
        properties: {
          b: { properties: { c: { type: 'long' }, d: { type: 'float' } } },
          list: { properties: { id: { type: 'keyword', ignore_above: 10 } } },
        },
      },
      n: { type: 'nested', properties: { x: { type: 'boolean' } } },
      empty: { type: 'object' },
      m: { type: 'keyword', ignore_above: 5, fields: { text: { type: 'text' } } },
      u: { type: 'keyword', index: false },
    };
    expect(props).toEqual(expected);
  });

  it('substitutes the types this Elasticsearch lacks', () => {
    expect(
      toEsProperties({
        v: { type: 'version' },
        s: { type: 'scaled_float' },
        c: { type: 'constant_keyword' },
        w: { type: 'wildcard' },
      }),
    ).toEqual({
      v: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
      s: { type: 'float' },
      c: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
      w: { type: 'keyword', ignore_above: KEYWORD_IGNORE_ABOVE },
    });
  });

  it('refuses a leaf field that also has sub-fields, and empty path segments', () => {
    expect(() => toEsProperties({ a: { type: 'keyword' }, 'a.b': { type: 'long' } })).toThrow(
      'field map: a is a keyword field and cannot also have a.b',
    );
    expect(() => toEsProperties({ 'a..b': { type: 'long' } })).toThrow('empty path segment in "a..b"');
  });
});

describe('mergeProperties', () => {
  it('merges objects and lets the second tree win on leaves', () => {
    const merged = mergeProperties(
      {
        event: {
          type: 'object',
          properties: { kind: { type: 'keyword' }, original: { type: 'keyword', index: false } },
        },
      },
      {
        event: {
          properties: { original: { type: 'keyword', ignore_above: 32766 }, id: { type: 'keyword' } },
        },
      },
    );
    expect(merged).toEqual({
      event: {
        type: 'object',
        properties: {
          kind: { type: 'keyword' },
          original: { type: 'keyword', ignore_above: 32766 },
          id: { type: 'keyword' },
        },
      },
    });
  });
});
