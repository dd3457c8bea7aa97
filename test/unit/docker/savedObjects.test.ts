import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { alertsMappings, fieldTypes } from '../../../src/alerts/fieldMap';
import {
  DEFAULT_ALERTS_INDEX,
  DEFAULT_EXECUTIONS_INDEX,
  executionsMappings,
} from '../../../src/alerts/template';
import { parseKql, type KqlNode } from '../../../src/kql';

/**
 * kibana/saved_objects.ndjson, which the setup service imports into Kibana: the shape of Kibana 8.19's saved
 * objects, references that resolve inside the file, and fields that exist in kdw's index templates.
 */
const root = join(__dirname, '..', '..', '..');

interface Reference {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}
interface SavedObject {
  readonly type: string;
  readonly id: string;
  readonly attributes: Record<string, unknown>;
  readonly references: Reference[];
  readonly coreMigrationVersion: string;
  readonly typeMigrationVersion: string;
  readonly managed?: boolean;
}

const text = readFileSync(join(root, 'kibana', 'saved_objects.ndjson'), 'utf8');
const lines = text.split('\n').filter((l) => l.trim() !== '');
// an export from Kibana's UI ends with a summary line ({"exportedCount": ...}), which the import skips
const objects = lines
  .map((l) => JSON.parse(l) as SavedObject | { exportedCount: number })
  .filter((o): o is SavedObject => !('exportedCount' in o));
const byKey = new Map(objects.map((o) => [`${o.type}:${o.id}`, o]));
const ofType = (type: string): SavedObject[] => objects.filter((o) => o.type === type);

/** The fields of each data view's indices, from the templates kdw installs. */
const FIELDS_BY_PATTERN: Record<string, Map<string, string>> = {
  'kdw-alerts-*': fieldTypes(alertsMappings().properties ?? {}),
  'kdw-executions-*': fieldTypes(executionsMappings().properties ?? {}),
};
/** Kibana's own fields of every document. */
const META_FIELDS = new Set(['_id', '_index', '_score', '_source', '_type']);

/** Kibana 8.19's migration version of each type (Kibana refuses a version newer than its own). */
const TYPE_MIGRATION_VERSION: Record<string, string> = {
  'index-pattern': '8.0.0',
  search: '10.5.0',
  lens: '8.9.0',
  dashboard: '10.2.0',
};

/** The attributes Kibana's dashboard schema accepts (unknown ones fail the import). */
const DASHBOARD_ATTRIBUTES = new Set([
  'title',
  'description',
  'kibanaSavedObjectMeta',
  'timeRestore',
  'timeFrom',
  'timeTo',
  'refreshInterval',
  'controlGroupInput',
  'panelsJSON',
  'optionsJSON',
  'hits',
  'version',
]);

/** The attributes of Kibana's search schema (model version 5), lens and index-pattern saved objects. */
const SEARCH_ATTRIBUTES = new Set([
  'title',
  'description',
  'columns',
  'sort',
  'grid',
  'rowHeight',
  'rowsPerPage',
  'hideChart',
  'breakdownField',
  'kibanaSavedObjectMeta',
  'isTextBasedQuery',
  'usesAdHocDataView',
  'timeRestore',
  'timeRange',
  'refreshInterval',
  'viewMode',
  'hideAggregatedPreview',
  'hits',
  'version',
  'sampleSize',
  'headerRowHeight',
  'visContext',
  'density',
]);
const LENS_ATTRIBUTES = new Set(['title', 'description', 'visualizationType', 'state']);
const DATA_VIEW_ATTRIBUTES = new Set([
  'title',
  'name',
  'timeFieldName',
  'fields',
  'fieldFormatMap',
  'fieldAttrs',
  'runtimeFieldMap',
  'sourceFilters',
  'typeMeta',
  'allowNoIndex',
  'allowHidden',
]);
const ALLOWED_ATTRIBUTES: Record<string, Set<string>> = {
  'index-pattern': DATA_VIEW_ATTRIBUTES,
  search: SEARCH_ATTRIBUTES,
  lens: LENS_ATTRIBUTES,
  dashboard: DASHBOARD_ATTRIBUTES,
};

function str(value: unknown, what: string): string {
  if (typeof value !== 'string') throw new Error(`${what} is not a string`);
  return value;
}

function json<T>(value: unknown, what: string): T {
  return JSON.parse(str(value, what)) as T;
}

function matchesPattern(pattern: string, index: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.+?^${}()|[\]\\-]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(index);
}

/** The field names a KQL query mentions (nested queries prefix their path). */
function kqlFields(query: string): string[] {
  const out: string[] = [];
  const walk = (node: KqlNode, prefix: string): void => {
    switch (node.kind) {
      case 'is':
      case 'exists':
      case 'range':
        if (node.field !== null) {
          if (node.field.type === 'wildcard') throw new Error(`wildcard field in "${query}"`);
          out.push(`${prefix}${node.field.value}`);
        }
        return;
      case 'nested':
        if (node.path.type === 'wildcard') throw new Error(`wildcard nested path in "${query}"`);
        walk(node.child, `${prefix}${node.path.value}.`);
        return;
      case 'and':
      case 'or':
        node.children.forEach((c) => walk(c, prefix));
        return;
      case 'not':
        walk(node.child, prefix);
        return;
      case 'matchAll':
        return;
    }
  };
  walk(parseKql(query), '');
  return out;
}

interface Query {
  query: string;
  language: string;
}

function queryFields(q: Query | undefined): string[] {
  if (q === undefined || q.query === '') return [];
  expect(q.language).toBe('kuery');
  return kqlFields(q.query);
}

function dataViewOf(ref: Reference | undefined, what: string): SavedObject {
  if (ref === undefined) throw new Error(`${what}: no data view reference`);
  expect(ref.type).toBe('index-pattern');
  const view = byKey.get(`index-pattern:${ref.id}`);
  if (view === undefined) throw new Error(`${what}: data view ${ref.id} is not in the file`);
  return view;
}

function fieldsOf(view: SavedObject): Map<string, string> {
  const title = str(view.attributes['title'], `${view.id}.title`);
  const fields = FIELDS_BY_PATTERN[title];
  if (fields === undefined) throw new Error(`data view ${view.id}: no kdw index template for ${title}`);
  return fields;
}

function expectFields(
  owner: string,
  view: SavedObject,
  names: readonly string[],
  types?: readonly string[],
): void {
  const fields = fieldsOf(view);
  for (const name of names) {
    if (META_FIELDS.has(name)) continue;
    const type = fields.get(name);
    expect({ owner, field: name, inTemplate: type !== undefined }).toEqual({
      owner,
      field: name,
      inTemplate: true,
    });
    if (types !== undefined)
      expect({ owner, field: name, type, allowed: types.includes(type ?? '') }).toEqual({
        owner,
        field: name,
        type,
        allowed: true,
      });
  }
}

const AGGREGATABLE = [
  'keyword',
  'ip',
  'long',
  'integer',
  'float',
  'double',
  'boolean',
  'date',
  'short',
  'byte',
];
const NUMERIC = ['long', 'integer', 'float', 'double', 'short', 'byte', 'scaled_float', 'half_float'];

describe('kibana/saved_objects.ndjson', () => {
  it('is one saved object per line, as Kibana exports them', () => {
    expect(text.endsWith('\n')).toBe(true);
    expect(lines.length - objects.length).toBeLessThanOrEqual(1);
    // what the import needs, plus what an export from Kibana adds
    const required = [
      'attributes',
      'coreMigrationVersion',
      'id',
      'references',
      'type',
      'typeMigrationVersion',
    ];
    const exported = [
      'managed',
      'created_at',
      'created_by',
      'updated_at',
      'updated_by',
      'version',
      'namespaces',
      'originId',
    ];
    for (const o of objects) {
      for (const key of required)
        expect({ id: o.id, key, present: key in o }).toEqual({ id: o.id, key, present: true });
      for (const key of Object.keys(o)) {
        expect({ id: o.id, key, known: [...required, ...exported].includes(key) }).toEqual({
          id: o.id,
          key,
          known: true,
        });
      }
      expect(o.id).toMatch(/^[a-z0-9-]+$/);
      expect(o.coreMigrationVersion).toBe('8.8.0');
      expect({ type: o.type, version: o.typeMigrationVersion }).toEqual({
        type: o.type,
        version: TYPE_MIGRATION_VERSION[o.type],
      });
      expect(typeof o.attributes['title']).toBe('string');
      // Kibana's schemas reject unknown attributes
      for (const key of Object.keys(o.attributes)) {
        expect({ id: o.id, key, allowed: ALLOWED_ATTRIBUTES[o.type]?.has(key) }).toEqual({
          id: o.id,
          key,
          allowed: true,
        });
      }
      expect(Array.isArray(o.references)).toBe(true);
    }
    expect(byKey.size).toBe(objects.length);
  });

  it('has the data views, the saved search, the visualizations and the dashboard', () => {
    expect(ofType('index-pattern').map((o) => o.attributes['title'])).toEqual([
      'kdw-alerts-*',
      'kdw-executions-*',
    ]);
    expect(ofType('search')).toHaveLength(1);
    expect(ofType('lens').length).toBeGreaterThanOrEqual(5);
    expect(ofType('dashboard')).toHaveLength(1);
    // the data views cover kdw's default indices, each its own
    expect(matchesPattern('kdw-alerts-*', DEFAULT_ALERTS_INDEX)).toBe(true);
    expect(matchesPattern('kdw-alerts-*', DEFAULT_EXECUTIONS_INDEX)).toBe(false);
    expect(matchesPattern('kdw-executions-*', DEFAULT_EXECUTIONS_INDEX)).toBe(true);
    expect(matchesPattern('kdw-executions-*', DEFAULT_ALERTS_INDEX)).toBe(false);
  });

  it('references only objects of the file, with their type', () => {
    for (const o of objects) {
      const names = o.references.map((r) => r.name);
      expect(new Set(names).size).toBe(names.length);
      for (const ref of o.references) {
        expect({
          from: o.id,
          to: `${ref.type}:${ref.id}`,
          found: byKey.has(`${ref.type}:${ref.id}`),
        }).toEqual({
          from: o.id,
          to: `${ref.type}:${ref.id}`,
          found: true,
        });
      }
    }
  });

  it('data views: a time field and formats on fields of the index templates', () => {
    for (const view of ofType('index-pattern')) {
      const a = view.attributes;
      expect(view.references).toEqual([]);
      expectFields(view.id, view, [str(a['timeFieldName'], 'timeFieldName')], ['date']);
      for (const key of ['fieldFormatMap', 'fieldAttrs', 'runtimeFieldMap']) {
        expectFields(view.id, view, Object.keys(json<Record<string, unknown>>(a[key], key)));
      }
      expect(json<unknown[]>(a['fields'], 'fields')).toEqual([]);
      expect(json<unknown>(a['runtimeFieldMap'], 'runtimeFieldMap')).toEqual({}); // no scripting (DESIGN.md §10)
    }
  });

  it('saved search: open alerts, on fields of the alerts template', () => {
    for (const search of ofType('search')) {
      const a = search.attributes;
      const source = json<{ query: Query; filter: unknown[]; indexRefName: string }>(
        (a['kibanaSavedObjectMeta'] as Record<string, unknown>)['searchSourceJSON'],
        'searchSourceJSON',
      );
      const view = dataViewOf(
        search.references.find((r) => r.name === source.indexRefName),
        search.id,
      );
      expect(view.attributes['title']).toBe('kdw-alerts-*');
      expect(source.query.query).toBe('kibana.alert.workflow_status : "open"');
      expectFields(search.id, view, queryFields(source.query));
      expectFields(search.id, view, a['columns'] as string[]);
      expectFields(
        search.id,
        view,
        (a['sort'] as string[][]).map((s) => s[0] ?? ''),
      );
      expect(source.filter).toEqual([]);
    }
  });

  it('visualizations: every layer on a data view of the file, every column on a field of its template', () => {
    interface Column {
      operationType: string;
      sourceField: string;
      dataType: string;
      isBucketed: boolean;
      filter?: Query;
      params?: { sortField?: string; orderBy?: { type: string; columnId?: string } };
    }
    interface Layer {
      columns: Record<string, Column>;
      columnOrder: string[];
    }
    for (const lens of ofType('lens')) {
      const a = lens.attributes;
      expect(['lnsXY', 'lnsDatatable', 'lnsMetric', 'lnsPie']).toContain(a['visualizationType']);
      const state = a['state'] as {
        datasourceStates: { formBased: { layers: Record<string, Layer> } };
        visualization: Record<string, unknown>;
        query: Query;
        filters: unknown[];
      };
      const layers = Object.entries(state.datasourceStates.formBased.layers);
      expect(layers.length).toBeGreaterThan(0);
      for (const [layerId, layer] of layers) {
        const view = dataViewOf(
          lens.references.find((r) => r.name === `indexpattern-datasource-layer-${layerId}`),
          `${lens.id} layer ${layerId}`,
        );
        expect(layer.columnOrder.sort()).toEqual(Object.keys(layer.columns).sort());
        expectFields(lens.id, view, queryFields(state.query));
        for (const [columnId, c] of Object.entries(layer.columns)) {
          const owner = `${lens.id} ${columnId}`;
          if (c.operationType === 'count') expect(c.sourceField).toBe('___records___');
          else if (c.operationType === 'date_histogram') expectFields(owner, view, [c.sourceField], ['date']);
          else if (c.operationType === 'terms') expectFields(owner, view, [c.sourceField], AGGREGATABLE);
          else if (['sum', 'average', 'min', 'max', 'median'].includes(c.operationType))
            expectFields(owner, view, [c.sourceField], NUMERIC);
          else if (c.operationType === 'last_value') {
            expectFields(owner, view, [c.sourceField], AGGREGATABLE);
            expectFields(owner, view, [c.params?.sortField ?? ''], ['date']);
          } else throw new Error(`${owner}: operation ${c.operationType} not checked by this test`);
          expectFields(owner, view, queryFields(c.filter));
          if (c.params?.orderBy?.type === 'column')
            expect(layer.columns[c.params.orderBy.columnId ?? '']).toBeDefined();
        }
        // the chart's accessors are columns of the layer
        const visualizationText = JSON.stringify(state.visualization);
        for (const accessor of visualizationText.match(
          /"(?:accessors|xAccessor|splitAccessor|columnId)":(?:\["[^\]]*\]|"[^"]*")/g,
        ) ?? []) {
          for (const id of accessor.match(/"col-[^"]+"/g) ?? []) {
            expect({ lens: lens.id, column: id, exists: JSON.parse(id) in layer.columns }).toEqual({
              lens: lens.id,
              column: id,
              exists: true,
            });
          }
        }
      }
      expect(state.filters).toEqual([]);
    }
  });

  it('dashboard: every panel by reference to an object of the file, on a 48-column grid', () => {
    interface Panel {
      type: string;
      panelIndex: string;
      panelRefName: string;
      gridData: { x: number; y: number; w: number; h: number; i: string };
    }
    for (const dashboard of ofType('dashboard')) {
      const a = dashboard.attributes;
      for (const key of Object.keys(a))
        expect({ key, allowed: DASHBOARD_ATTRIBUTES.has(key) }).toEqual({ key, allowed: true });
      const panels = json<Panel[]>(a['panelsJSON'], 'panelsJSON');
      json<Record<string, unknown>>(a['optionsJSON'], 'optionsJSON');
      const source = json<{ query: Query }>(
        (a['kibanaSavedObjectMeta'] as Record<string, unknown>)['searchSourceJSON'],
        'searchSourceJSON',
      );
      expect(queryFields(source.query)).toEqual([]);
      const cells = new Set<string>();
      for (const p of panels) {
        const ref = dashboard.references.find((r) => r.name === `${p.panelIndex}:${p.panelRefName}`);
        expect({ panel: p.panelIndex, ref: ref?.type }).toEqual({ panel: p.panelIndex, ref: p.type });
        expect(p.panelRefName).toBe(`panel_${p.panelIndex}`);
        expect(p.gridData.i).toBe(p.panelIndex);
        expect(p.gridData.x + p.gridData.w).toBeLessThanOrEqual(48);
        for (let x = p.gridData.x; x < p.gridData.x + p.gridData.w; x++)
          for (let y = p.gridData.y; y < p.gridData.y + p.gridData.h; y++) {
            expect({ panel: p.panelIndex, overlaps: cells.has(`${x},${y}`) }).toEqual({
              panel: p.panelIndex,
              overlaps: false,
            });
            cells.add(`${x},${y}`);
          }
      }
      expect(dashboard.references).toHaveLength(panels.length);
      // every visualization and the saved search are on the dashboard
      const shown = new Set(dashboard.references.map((r) => `${r.type}:${r.id}`));
      for (const o of [...ofType('lens'), ...ofType('search')])
        expect(shown.has(`${o.type}:${o.id}`)).toBe(true);
    }
  });

  it('shows what the lab promises: alerts by rule and severity, service accounts, user agents, rule health', () => {
    const lensFields = (o: SavedObject): string[] =>
      Object.values(
        (
          o.attributes['state'] as {
            datasourceStates: {
              formBased: { layers: Record<string, { columns: Record<string, { sourceField: string }> }> };
            };
          }
        ).datasourceStates.formBased.layers,
      ).flatMap((l) => Object.values(l.columns).map((c) => c.sourceField));
    const all = ofType('lens').map(lensFields);
    const has = (...fields: string[]): boolean => all.some((f) => fields.every((x) => f.includes(x)));
    expect(has('@timestamp', 'kibana.alert.rule.name')).toBe(true);
    expect(has('@timestamp', 'kibana.alert.severity')).toBe(true);
    expect(has('kubernetes.audit.user.username')).toBe(true);
    expect(has('kubernetes.audit.userAgent')).toBe(true);
    expect(has('rule.name', 'status', 'counts.alerts_created', 'durations.total_ms', 'gap.ms')).toBe(true);
  });
});
