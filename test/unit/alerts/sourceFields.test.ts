import { prepareSource } from '../../../src/alerts/sourceFields';

const types: Record<string, string> = {
  'source.ip': 'ip',
  'source.port': 'long',
  '@timestamp': 'date',
  'agent.name': 'keyword',
  host: 'object',
  'host.name': 'keyword',
  'kubernetes.audit.responseStatus.code': 'integer',
  'event.ingested': 'date',
};
const typeOf = (path: string): string | undefined => types[path];

describe('prepareSource (Kibana traverseAndMutateDoc)', () => {
  it('removes kibana.*, signal.* and threshold_result, also as dotted keys', () => {
    const { doc, removed } = prepareSource(
      {
        kibana: { alert: { x: 1 } },
        'kibana.alert.y': 2,
        signal: {},
        threshold_result: {},
        'signal.rule': 'x',
        keep: 1,
      },
      typeOf,
    );
    expect(doc).toEqual({ keep: 1 });
    expect([...removed].sort()).toEqual([
      'kibana',
      'kibana.alert.y',
      'signal',
      'signal.rule',
      'threshold_result',
    ]);
  });

  it('copies event.* and data_stream.* flattened, and drops event.kind', () => {
    const { doc } = prepareSource(
      {
        event: { kind: 'event', action: 'get', ingested: '2026-11-23T10:00:00Z' },
        data_stream: { dataset: 'kubernetes.audit_logs' },
      },
      typeOf,
    );
    expect(doc).toEqual({
      event: { action: 'get', ingested: '2026-11-23T10:00:00Z' },
      data_stream: { dataset: 'kubernetes.audit_logs' },
      'kibana.alert.original_event.kind': 'event',
      'kibana.alert.original_event.action': 'get',
      'kibana.alert.original_event.ingested': '2026-11-23T10:00:00Z',
      'kibana.alert.original_data_stream.dataset': 'kubernetes.audit_logs',
    });
  });

  it('drops values whose type conflicts with the alerts mapping, and keeps the rest of the document', () => {
    const { doc, removed } = prepareSource(
      {
        source: { ip: ['10.0.0.1', 'not-an-ip'], port: 'abc' },
        '@timestamp': 'yesterday',
        agent: { name: { nested: true } },
        host: 'a string where an object is mapped',
        'agent.name.extra': 'x',
        kubernetes: { audit: { responseStatus: { code: '403' } } },
        unknown: { anything: [1, 'a'] },
      },
      typeOf,
    );
    expect(doc).toEqual({
      source: { ip: ['10.0.0.1'] },
      kubernetes: { audit: { responseStatus: { code: '403' } } },
      unknown: { anything: [1, 'a'] },
    });
    expect([...removed].sort()).toEqual([
      '@timestamp',
      'agent.name',
      'agent.name.extra',
      'host',
      'source.ip',
      'source.port',
    ]);
  });

  it('never mutates its input', () => {
    const source = { event: { kind: 'event' }, kibana: { x: 1 } };
    prepareSource(source, typeOf);
    expect(source).toEqual({ event: { kind: 'event' }, kibana: { x: 1 } });
  });
});
