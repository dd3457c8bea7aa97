import { createEsClient } from '../../../src/es/client';
import { EsResponseError } from '../../../src/es/errors';
import { FieldCapsService } from '../../../src/es/fieldCaps';
import { adminClient, closeClients, kdwClient, testConnection, uniqueName } from '../../helpers/connection';
import { createIndex } from '../../helpers/kqlConformance';

const admin = adminClient();
const kdw = kdwClient();
const base = uniqueName('logs-kdwtest-fieldcaps-');
const pattern = `${base}-*`;

beforeAll(async () => {
  await createIndex(admin, `${base}-1`, { host: { type: 'keyword' }, msg: { type: 'text' } }, [
    { host: 'a' },
  ]);
});

afterAll(async () => {
  // destructive_requires_name: indices are deleted by their names
  await admin.indices.delete({ index: [`${base}-1`, `${base}-2`] }, { ignore: [404] });
  await closeClients();
});

function countCalls(): { fieldCaps: () => number; probes: () => number; restore: () => void } {
  const caps = jest.spyOn(kdw, 'fieldCaps');
  const state = jest.spyOn(kdw.cluster, 'state');
  return {
    fieldCaps: () => caps.mock.calls.length,
    probes: () => state.mock.calls.length,
    restore: () => {
      caps.mockRestore();
      state.mockRestore();
    },
  };
}

describe('FieldCapsService (real Elasticsearch, kdw user)', () => {
  it('fetches once, caches, and lets concurrent callers share one request', async () => {
    const calls = countCalls();
    try {
      const service = new FieldCapsService(kdw);
      const snapshots = await Promise.all([
        service.get(pattern),
        service.get(pattern),
        service.get([pattern]),
      ]);
      expect(calls.fieldCaps()).toBe(1);
      expect(new Set(snapshots).size).toBe(1);
      expect(snapshots[0]?.fieldTypes.get('host')).toEqual(new Set(['keyword']));
      expect(snapshots[0]?.indices).toEqual([`${base}-1`]);
      await service.get(pattern);
      expect(calls.fieldCaps()).toBe(1);
    } finally {
      calls.restore();
    }
  });

  it('re-fetches when an index appears or a mapping changes, and only then', async () => {
    const service = new FieldCapsService(kdw, { checkIntervalMs: 0 });
    await service.get(pattern);
    const calls = countCalls();
    try {
      await service.get(pattern);
      expect(calls.fieldCaps()).toBe(0);
      expect(calls.probes()).toBe(1);

      await createIndex(admin, `${base}-2`, { host: { type: 'text' } }, [{ host: 'b c' }]);
      const afterNewIndex = await service.get(pattern);
      expect(calls.fieldCaps()).toBe(1);
      expect(afterNewIndex.fieldTypes.get('host')).toEqual(new Set(['keyword', 'text']));
      expect(Object.fromEntries(afterNewIndex.indicesByType('host'))).toEqual({
        keyword: [`${base}-1`],
        text: [`${base}-2`],
      });

      await admin.indices.putMapping({ index: `${base}-1`, properties: { added: { type: 'long' } } });
      const afterMapping = await Promise.all([service.get(pattern), service.get(pattern)]);
      expect(calls.fieldCaps()).toBe(2);
      expect(afterMapping[0]?.fieldTypes.get('added')).toEqual(new Set(['long']));
    } finally {
      calls.restore();
    }
  });

  it('trusts the cache between checks, honours the TTL, and refresh() forces a fetch', async () => {
    let now = 1_000_000;
    const service = new FieldCapsService(kdw, { ttlMs: 60_000, checkIntervalMs: 30_000, now: () => now });
    await service.get(pattern);
    const calls = countCalls();
    try {
      now += 10_000;
      await service.get(pattern);
      expect([calls.fieldCaps(), calls.probes()]).toEqual([0, 0]);
      now += 25_000;
      await service.get(pattern);
      expect([calls.fieldCaps(), calls.probes()]).toEqual([0, 1]);
      now += 60_000;
      await service.get(pattern);
      expect(calls.fieldCaps()).toBe(1);
      await Promise.all([service.refresh(pattern), service.refresh(pattern)]);
      expect(calls.fieldCaps()).toBe(2);
      service.invalidate(pattern);
      await service.get(pattern);
      expect(calls.fieldCaps()).toBe(3);
    } finally {
      calls.restore();
    }
  });

  it('answers an empty snapshot for a pattern that matches nothing', async () => {
    const snapshot = await new FieldCapsService(kdw).get(`${base}-nothing-*`);
    expect(snapshot.indices).toEqual([]);
    expect(snapshot.fieldTypes.size).toBe(0);
  });

  it('treats an index the user may not read as unavailable, as a rule search does', async () => {
    const other = uniqueName('kdwforbidden-');
    await admin.indices.create({ index: other, settings: { number_of_replicas: 0 } });
    try {
      const snapshot = await new FieldCapsService(kdw).get(other);
      expect(snapshot.indices).toEqual([]);
    } finally {
      await admin.indices.delete({ index: other }, { ignore: [404] });
    }
  });

  it('reports Elasticsearch errors as typed errors', async () => {
    const noAuth = createEsClient({ ...testConnection().kdw, auth: { username: 'kdw', password: 'wrong' } });
    try {
      const error = await new FieldCapsService(noAuth).get(pattern).catch((err: unknown) => err);
      expect(error).toBeInstanceOf(EsResponseError);
      expect(error).toMatchObject({ status: 401, context: { operation: `read field types of ${pattern}` } });
    } finally {
      await noAuth.close();
    }
  });
});
