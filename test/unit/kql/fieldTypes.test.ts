import { auditLogsMappings } from '../../../src/es/templates/auditLogs';
import { fieldTypesFromFieldCaps, fieldTypesFromJson, fieldTypesFromMapping } from '../../../src/kql';

describe('field types', () => {
  it('from _field_caps, without "unmapped"', () => {
    const types = fieldTypesFromFieldCaps({
      fields: {
        a: { keyword: { type: 'keyword', metadata_field: false, searchable: true, aggregatable: true } },
        b: {
          keyword: {
            type: 'keyword',
            metadata_field: false,
            searchable: true,
            aggregatable: true,
            indices: ['i1'],
          },
          text: {
            type: 'text',
            metadata_field: false,
            searchable: true,
            aggregatable: false,
            indices: ['i2'],
          },
          unmapped: {
            type: 'unmapped',
            metadata_field: false,
            searchable: false,
            aggregatable: false,
            indices: ['i3'],
          },
        },
      },
    });
    expect([...(types.get('a') ?? [])]).toEqual(['keyword']);
    expect([...(types.get('b') ?? [])].sort()).toEqual(['keyword', 'text']);
  });

  it('from a _mapping response, with objects, nested and multi-fields', () => {
    const types = fieldTypesFromMapping({
      i1: { mappings: auditLogsMappings('text') },
      i2: { mappings: auditLogsMappings('keyword') },
    });
    expect([...(types.get('kubernetes.audit.userAgent') ?? [])].sort()).toEqual(['keyword', 'text']);
    expect([...(types.get('kubernetes.audit.requestObject.rules') ?? [])]).toEqual(['nested']);
    expect([...(types.get('kubernetes.audit.requestObject.rules.verbs') ?? [])]).toEqual(['keyword']);
    expect([...(types.get('kubernetes.audit') ?? [])]).toEqual(['object']);
    expect([...(types.get('user.name.text') ?? [])]).toEqual(['text']);
    expect([...(types.get('kubernetes.audit.responseStatus.code') ?? [])]).toEqual(['integer']);
  });

  it('tells a _field_caps file from a _mapping file', () => {
    expect(
      fieldTypesFromJson({ indices: ['x'], fields: { a: { long: { type: 'long' } } } }).get('a'),
    ).toEqual(new Set(['long']));
    expect(fieldTypesFromJson({ mappings: { properties: { a: { type: 'ip' } } } }).get('a')).toEqual(
      new Set(['ip']),
    );
    expect(fieldTypesFromJson({ properties: { a: { type: 'ip' } } }).get('a')).toEqual(new Set(['ip']));
  });
});
