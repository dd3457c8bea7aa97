import { pitSearch } from '../../../src/es/pitSearch';
import { timeRangeFilter, timestampFields, timestampSort } from '../../../src/ruleTypes/timeRange';
import { createAuditStream, rawAuditEvent, type AuditStream } from '../../helpers/auditData';
import { adminClient, closeClients, kdwClient } from '../../helpers/connection';

const admin = adminClient();
const kdw = kdwClient();
let stream: AuditStream;
const ts = '2026-11-23T10:00:00.000Z';

beforeAll(async () => {
  stream = await createAuditStream(admin);
  // 250 events sharing one timestamp: pages of 100 must not lose any at the boundaries
  await stream.indexRaw(
    Array.from({ length: 250 }, (_, i) =>
      rawAuditEvent({ auditID: `tie-${i}`, requestReceivedTimestamp: ts }),
    ),
    new Date(ts),
  );
});

afterAll(async () => {
  await stream.remove();
  await closeClients();
});

describe('pitSearch', () => {
  const fields = timestampFields('event.ingested', false);
  const window = { from: new Date('2026-11-23T09:55:00Z'), to: new Date('2026-11-23T10:01:00Z') };

  it('returns every hit exactly once when timestamps tie across page boundaries', async () => {
    const seen: string[] = [];
    let pages = 0;
    for await (const page of pitSearch(kdw, {
      index: [stream.dataStream],
      query: { bool: { filter: [timeRangeFilter(fields, window)] } },
      sort: timestampSort(fields),
      pageSize: 100,
    })) {
      pages++;
      expect(page.total).toBe(250);
      seen.push(...page.hits.map((h) => h._id ?? ''));
    }
    expect(pages).toBe(3);
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
  });

  it('closes its point in time when the consumer stops early', async () => {
    const before = await admin.nodes.stats({ metric: 'indices', index_metric: 'search' } as never);
    const openContexts = (stats: typeof before): number =>
      Object.values(stats.nodes).reduce((n, node) => n + (node.indices?.search?.open_contexts ?? 0), 0);
    for await (const page of pitSearch(kdw, {
      index: [stream.dataStream],
      query: { match_all: {} },
      sort: timestampSort(fields),
      pageSize: 10,
    })) {
      expect(page.hits).toHaveLength(10);
      break;
    }
    const after = await admin.nodes.stats({ metric: 'indices', index_metric: 'search' } as never);
    expect(openContexts(after)).toBe(openContexts(before));
  });

  it('finds nothing, and fails nothing, when no index matches the pattern', async () => {
    const pages = [];
    for await (const page of pitSearch(kdw, {
      index: ['logs-kubernetes.audit_logs-doesnotexist*'],
      query: { match_all: {} },
      sort: timestampSort(fields),
      pageSize: 10,
    })) {
      pages.push(page);
    }
    expect(pages).toEqual([]);
  });
});
