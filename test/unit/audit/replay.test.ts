import { Readable } from 'node:stream';
import type { Client } from '@elastic/elasticsearch';
import { createBulkSink, type DocSink, type PendingDoc, type SinkResult } from '../../../src/audit/bulkSink';
import { replay, type ReplayOptions } from '../../../src/audit/replay';
import type { JsonObject } from '../../../src/audit/transform';

function line(id: string, time?: string, extra: JsonObject = {}): string {
  return JSON.stringify({
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    auditID: id,
    stage: 'ResponseComplete',
    verb: 'get',
    ...(time === undefined ? {} : { requestReceivedTimestamp: time }),
    ...extra,
  });
}

/** A sink that keeps what it gets, as Elasticsearch would, and can be made slow. */
function memorySink(): DocSink & { docs: PendingDoc[]; batches: number } {
  const docs: PendingDoc[] = [];
  const sink = {
    docs,
    batches: 0,
    failed: false,
    add: async (batch: readonly PendingDoc[]) => {
      sink.batches++;
      docs.push(...batch);
    },
    close: async (): Promise<SinkResult> => ({
      indexed: docs.length,
      unindexedCount: 0,
      unindexed: [],
      retries: 0,
      requests: sink.batches,
    }),
  };
  return sink;
}

async function run(text: string, options: Partial<ReplayOptions> = {}) {
  const sink = memorySink();
  const summary = await replay(Readable.from([text]), sink, { namespace: 'default', ...options });
  return { sink, summary };
}

const T0 = '2026-11-20T08:00:00.000Z';
const T1 = '2026-11-20T08:00:10.000Z';

describe('replay', () => {
  it('indexes every valid event, counts and lists bad lines by number, never aborts the file', async () => {
    const text = [
      line('a', T0),
      'garbage',
      '',
      line('b', T1),
      '{"kind":"Pod","apiVersion":"v1"}',
      line('c', T1).slice(0, 30),
    ].join('\n');
    const { sink, summary } = await run(text);
    expect(sink.docs.map((d) => d.ref.line)).toEqual([1, 4]);
    expect(summary).toMatchObject({
      lines_read: 6,
      empty_lines: 1,
      events: 2,
      indexed: 2,
      unindexed: 0,
      bad: 3,
    });
    expect(summary.bad_listed.map((b) => b.line)).toEqual([2, 5, 6]);
    expect(summary.bad_listed[2]?.reason).toMatch(/^truncated/);
  });

  it('caps the listing of bad lines but keeps counting them', async () => {
    const text = Array.from({ length: 50 }, (_, i) => `bad ${i}`).join('\n');
    const { summary } = await run(text, { maxListed: 5 });
    expect(summary.bad).toBe(50);
    expect(summary.bad_listed).toHaveLength(5);
  });

  it('never deduplicates by auditID: each stage of a request is its own document', async () => {
    const text = [
      line('same', T0, { stage: 'RequestReceived' }),
      line('same', T0, { stage: 'ResponseStarted' }),
      line('same', T0, { stage: 'ResponseComplete' }),
      line('same', T0, { stage: 'ResponseComplete' }),
    ].join('\n');
    const { summary } = await run(text);
    expect(summary.indexed).toBe(4);
  });

  it('indexes the items of an EventList line with their line and item number', async () => {
    const list = `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[${line('a', T0)},${line('b', T1)}]}`;
    const { sink, summary } = await run(`${line('x', T0)}\n${list}\n`);
    expect(summary.events).toBe(3);
    expect(sink.docs.map((d) => d.ref)).toEqual([{ line: 1 }, { line: 2, item: 0 }, { line: 2, item: 1 }]);
  });

  it('numbers EventList items by their place in items, bad ones included', async () => {
    const list = `{"kind":"EventList","apiVersion":"audit.k8s.io/v1","items":[{"kind":"Pod"},${line('a', T0)}]}`;
    const { sink, summary } = await run(`${list}\n`);
    expect(sink.docs.map((d) => d.ref)).toEqual([{ line: 1, item: 1 }]);
    expect(summary.bad_listed).toEqual([{ line: 1, item: 0, reason: 'not an audit event: kind "Pod"' }]);
  });

  it('counts events without their own time and gives them the read time', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const { sink, summary } = await run(`${line('a')}\n${line('b', T0)}\n`, { clock: () => now });
    expect(summary.without_own_time).toBe(1);
    expect(sink.docs[0]?.doc['@timestamp']).toBe('2026-11-23T10:00:00.000Z');
  });

  it('--now shifts every event by one amount so the first lands at the start, keeping the spacing', async () => {
    const now = Date.parse('2026-11-23T10:00:00Z');
    const { sink, summary } = await run(`${line('a', T0)}\n${line('b', T1)}\n`, {
      now: true,
      clock: () => now,
    });
    expect(sink.docs.map((d) => d.doc['@timestamp'])).toEqual([
      '2026-11-23T10:00:00.000Z',
      '2026-11-23T10:00:10.000Z',
    ]);
    expect(summary.shift_ms).toBe(now - Date.parse(T0));
  });

  it('--speed waits for each event at its own pace divided by the factor', async () => {
    let now = 1_000_000;
    const sleeps: number[] = [];
    const sleep = async (ms: number) => {
      sleeps.push(ms);
      now += ms;
    };
    const text = [
      line('a', T0),
      line('b', '2026-11-20T08:00:04.000Z'),
      line('c', '2026-11-20T08:00:10.000Z'),
    ].join('\n');
    const { sink } = await run(text, { speed: 2, clock: () => now, sleep });
    expect(sleeps).toEqual([2000, 3000]);
    // the batch is sent before a long pause, so events reach Elasticsearch in real time
    expect(sink.batches).toBe(3);
  });

  it('sets event.ingested to the event time with ingested: event (history loading)', async () => {
    const { sink } = await run(line('a', T0), { ingested: 'event' });
    expect((sink.docs[0]?.doc['event'] as JsonObject)['ingested']).toBe(T0);
  });

  it('sends bounded batches', async () => {
    const text = Array.from({ length: 25 }, (_, i) => line(`e${i}`, T0)).join('\n');
    const { sink } = await run(text, { batchDocs: 10 });
    expect(sink.batches).toBe(3);
  });
});

describe('createBulkSink', () => {
  type Item = { create: { status: number; error?: { type: string; reason: string } } };
  function fakeClient(responses: Item[][]): { client: Client; sent: number[] } {
    const sent: number[] = [];
    const client = {
      bulk: async (req: { operations: unknown[] }) => {
        sent.push(req.operations.length / 2);
        const items = responses.shift() ?? [];
        return { took: 1, errors: items.some((i) => i.create.status >= 300), items };
      },
    };
    return { client: client as unknown as Client, sent };
  }
  const pending = (n: number): PendingDoc[] =>
    Array.from({ length: n }, (_, i) => ({ doc: { event: {} }, ref: { line: i + 1 } }));

  it('retries transient item failures and reports the others with their line', async () => {
    const { client, sent } = fakeClient([
      [
        { create: { status: 201 } },
        { create: { status: 429 } },
        { create: { status: 400, error: { type: 'mapper_parsing_exception', reason: 'bad ip' } } },
      ],
      [{ create: { status: 201 } }],
    ]);
    const sink = createBulkSink(client, { index: 'x', sleep: async () => undefined });
    await sink.add(pending(3));
    const result = await sink.close();
    expect(sent).toEqual([3, 1]);
    expect(result).toMatchObject({ indexed: 2, unindexedCount: 1, retries: 1, requests: 2 });
    expect(result.unindexed).toEqual([{ line: 3, status: 400, reason: 'mapper_parsing_exception: bad ip' }]);
  });

  it('stamps event.ingested at send time', async () => {
    const { client } = fakeClient([[{ create: { status: 201 } }]]);
    const docs = pending(1);
    const sink = createBulkSink(client, { index: 'x', clock: () => new Date('2026-01-01T00:00:00Z') });
    await sink.add(docs);
    await sink.close();
    expect(docs[0]?.doc['event']).toEqual({ ingested: '2026-01-01T00:00:00.000Z' });
  });

  it('counts documents missing from a bulk response as not indexed', async () => {
    const client = { bulk: async () => ({ took: 1, errors: false }) } as unknown as Client;
    const sink = createBulkSink(client, { index: 'x' });
    await sink.add(pending(2));
    const result = await sink.close();
    expect(result).toMatchObject({ indexed: 0, unindexedCount: 2 });
    expect(result.unindexed[0]).toEqual({ line: 1, status: 0, reason: 'no item in the bulk response' });
  });

  it('marks a request-level failure as fatal and counts the batch as not indexed', async () => {
    const client = { bulk: async () => Promise.reject(new Error('socket hang up')) } as unknown as Client;
    const sink = createBulkSink(client, { index: 'x' });
    await sink.add(pending(2));
    const result = await sink.close();
    expect(sink.failed).toBe(true);
    expect(result.unindexedCount).toBe(2);
    expect(result.fatal?.message).toMatch(/socket hang up/);
  });
});
