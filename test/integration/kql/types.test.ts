import type { estypes } from '@elastic/elasticsearch';
import { FieldCapsService } from '../../../src/es/fieldCaps';
import { adminClient, closeClients, kdwClient, uniqueName } from '../../helpers/connection';
import { createIndex, matchingIds, type ConformanceCase } from '../../helpers/kqlConformance';

/**
 * KQL on every field type a rule meets (keyword, text with a keyword sub-field, long, double, date, ip,
 * boolean, keyword arrays, objects written with dotted keys, nested), and on a field that is keyword in one
 * index and text in another.
 */
const PROPERTIES: Record<string, estypes.MappingProperty> = {
  id: { type: 'keyword' },
  kw: { type: 'keyword' },
  txt: { type: 'text' },
  title: { type: 'text', fields: { keyword: { type: 'keyword' } } },
  num: { type: 'long' },
  dbl: { type: 'double' },
  ts: { type: 'date' },
  ip: { type: 'ip' },
  flag: { type: 'boolean' },
  tags: { type: 'keyword' },
  obj: {
    type: 'object',
    properties: { a: { type: 'keyword' }, b: { properties: { c: { type: 'keyword' } } } },
  },
  items: { type: 'nested', properties: { name: { type: 'keyword' }, qty: { type: 'long' } } },
};

const DOCS = [
  {
    id: 't1',
    kw: 'Alpha',
    txt: 'The quick brown fox',
    title: 'Quick Start',
    num: 5,
    dbl: 1.5,
    ts: '2024-01-01T00:00:00Z',
    ip: '10.1.2.3',
    flag: true,
    tags: ['a', 'b'],
    obj: { a: 'x', b: { c: 'deep' } },
    items: [
      { name: 'apple', qty: 1 },
      { name: 'pear', qty: 10 },
    ],
  },
  {
    id: 't2',
    kw: 'alpha',
    txt: 'quick thinking',
    title: 'Slow Start',
    num: 50,
    dbl: -2,
    ts: '2024-06-15T12:00:00Z',
    ip: '192.168.0.1',
    flag: false,
    tags: ['b'],
    'obj.a': 'x',
    items: [{ name: 'apple', qty: 10 }],
  },
  {
    id: 't3',
    kw: 'C:\\Windows\\System32\\cmd.exe',
    txt: 'brown dog',
    num: 500,
    ts: '2023-12-31T23:59:59Z',
    ip: '2001:db8::1',
    flag: true,
    tags: [],
    obj: { a: 'y' },
  },
  { id: 't4', kw: 'a b', txt: 'fox', num: -1, tags: ['a'], obj: { 'b.c': 'deep' } },
  { id: 't5' },
  { id: 't6', kw: '*star*', txt: 'star? wars', title: 'Quick', num: 0 },
];
const ALL = DOCS.map((d) => d.id);
const but = (...ids: string[]): string[] => ALL.filter((id) => !ids.includes(id));

const CASES: readonly ConformanceCase[] = [
  { query: 'kw:Alpha', expected: ['t1'] },
  { query: 'kw:alpha', expected: ['t2'] },
  { query: 'kw:ALPHA', expected: [] },
  { query: 'kw:al*', expected: ['t2'] },
  { query: 'kw:*lpha', expected: ['t1', 't2'] },
  { query: 'kw:A*a', expected: ['t1'] },
  { query: 'kw:C\\:\\\\Windows\\\\System32\\\\cmd.exe', expected: ['t3'] },
  { query: 'kw:"C:\\Windows\\System32\\cmd.exe"', expected: ['t3'] },
  { query: 'kw:"C:\\\\Windows\\\\System32\\\\cmd.exe"', expected: ['t3'] },
  { query: 'kw:*\\\\cmd.exe', expected: ['t3'] },
  { query: 'kw:*System32*', expected: ['t3'] },
  { query: 'kw:*system32*', expected: [] },
  { query: 'kw:a b', expected: ['t4'] },
  { query: 'kw:"a b"', expected: ['t4'] },
  { query: 'kw:\\*star\\*', expected: ['t6'] },
  { query: 'kw:*star*', expected: ['t6'] },
  { query: 'kw:\\**', expected: ['t6'] },
  { query: 'kw:(Alpha or alpha) and not flag:true', expected: ['t2'] },
  { query: 'txt:quick', expected: ['t1', 't2'] },
  { query: 'txt:QUICK', expected: ['t1', 't2'] },
  { query: 'txt:"quick brown"', expected: ['t1'] },
  { query: 'txt:"brown quick"', expected: [] },
  { query: 'txt:quick brown', expected: ['t1', 't2', 't3'] },
  { query: 'txt:qu*', expected: ['t1', 't2'] },
  { query: 'txt:*own', expected: ['t1', 't3'] },
  { query: 'txt:"star? wars"', expected: ['t6'] },
  { query: 'txt:star?', expected: ['t6'] },
  { query: 'title:quick', expected: ['t1', 't6'] },
  { query: 'title.keyword:Quick', expected: ['t6'] },
  { query: 'title.keyword:Quick*', expected: ['t1', 't6'] },
  { query: 'title*:Quick', expected: ['t1', 't6'] },
  { query: 'num:5', expected: ['t1'] },
  { query: 'num >= 50', expected: ['t2', 't3'] },
  { query: 'num < 0', expected: ['t4'] },
  { query: 'num > -2 and num <= 5', expected: ['t1', 't4', 't6'] },
  { query: 'num:(5 or 500)', expected: ['t1', 't3'] },
  { query: 'not num:*', expected: ['t5'] },
  { query: 'dbl < 0', expected: ['t2'] },
  { query: 'dbl:1.5', expected: ['t1'] },
  { query: 'ts >= "2024-01-01"', expected: ['t1', 't2'] },
  { query: 'ts < "2024-01-01T00:00:00"', expected: ['t3'] },
  { query: 'ts:"2024-06-15T12:00:00"', expected: ['t2'] },
  { query: 'ts:2024-06-15', expected: ['t2'] },
  { query: 'ts > now-100y', expected: ['t1', 't2', 't3'] },
  { query: 'ip:10.1.2.3', expected: ['t1'] },
  { query: 'ip:"192.168.0.0/16"', expected: ['t2'] },
  { query: 'ip:"2001:db8::1"', expected: ['t3'] },
  { query: 'ip >= 10.0.0.0 and ip < 11.0.0.0', expected: ['t1'] },
  { query: 'flag:true', expected: ['t1', 't3'] },
  { query: 'flag:false', expected: ['t2'] },
  { query: 'flag:"true"', expected: ['t1', 't3'] },
  { query: 'not flag:true', expected: ['t2', 't4', 't5', 't6'] },
  { query: 'not flag:*', expected: ['t4', 't5', 't6'] },
  { query: 'tags:a', expected: ['t1', 't4'] },
  { query: 'tags:(a and b)', expected: ['t1'] },
  { query: 'not tags:*', expected: ['t3', 't5', 't6'] },
  { query: 'obj.a:x', expected: ['t1', 't2'] },
  { query: 'obj.b.c:deep', expected: ['t1', 't4'] },
  { query: 'obj.*:x', expected: ['t1', 't2'] },
  { query: 'obj:*', expected: ['t1', 't2', 't3', 't4'] },
  { query: 'items:{ name:apple and qty >= 10 }', expected: ['t2'] },
  { query: 'items:{ name:apple }', expected: ['t1', 't2'] },
  { query: 'items:{ name:pear or qty:1 }', expected: ['t1'] },
  { query: 'not items:{ name:apple }', expected: ['t3', 't4', 't5', 't6'] },
  { query: 'items.na*:apple', expected: ['t1', 't2'] },
  { query: 'missing:x', expected: [] },
  { query: 'not missing:x', expected: ALL },
  { query: 'missing > 5', expected: [] },
  { query: 'KW:Alpha', expected: [] },
  { query: 'kw:Alpha or txt:dog and num >= 500', expected: ['t1', 't3'] },
  { query: '(kw:Alpha or txt:dog) and num >= 500', expected: ['t3'] },
  { query: 'not kw:Alpha and not kw:alpha', expected: but('t1', 't2') },
  { query: 'not (kw:Alpha or kw:alpha)', expected: but('t1', 't2') },
  { query: 'kw:Alpha or kw:alpha and flag:false', expected: ['t1', 't2'] },
  { query: 'not not_a_field:* and kw:Alpha', expected: ['t1'] },
];

/** `mixed` is keyword in one index and text in the other: Kibana uses match/query_string on both. */
const MIXED_CASES: readonly ConformanceCase[] = [
  { query: 'mixed:"Foo Bar"', expected: ['m1', 'm2'] },
  { query: 'mixed:foo', expected: ['m2'] },
  { query: 'mixed:Foo*', expected: ['m1', 'm2'] },
  { query: 'mixed:foo*', expected: ['m2'] },
  { query: 'mixed:*', expected: ['m1', 'm2', 'm3'] },
  { query: 'not mixed:*', expected: ['m4'] },
];

const admin = adminClient();
const kdw = kdwClient();
const fieldCaps = new FieldCapsService(kdw);
const base = uniqueName('logs-kdwtest-kqltypes-');
const typesIndex = `${base}-t`;
const mixedPattern = `${base}-mix-*`;

beforeAll(async () => {
  await createIndex(admin, typesIndex, PROPERTIES, DOCS);
  await createIndex(admin, `${base}-mix-a`, { id: { type: 'keyword' }, mixed: { type: 'keyword' } }, [
    { id: 'm1', mixed: 'Foo Bar' },
    { id: 'm4' },
  ]);
  await createIndex(admin, `${base}-mix-b`, { id: { type: 'keyword' }, mixed: { type: 'text' } }, [
    { id: 'm2', mixed: 'foo bar baz' },
    { id: 'm3', mixed: 'other' },
  ]);
});

afterAll(async () => {
  // destructive_requires_name: indices are deleted by their names
  await admin.indices.delete({ index: [typesIndex, `${base}-mix-a`, `${base}-mix-b`] }, { ignore: [404] });
  await closeClients();
});

describe('KQL on every field type (real Elasticsearch)', () => {
  it.each(CASES)('$query', async (testCase) => {
    expect(await matchingIds(kdw, fieldCaps, { index: typesIndex, idField: 'id' }, testCase)).toEqual(
      testCase.expected,
    );
  });
});

describe('KQL on a field that is keyword in one index and text in another', () => {
  it('has both types in the field caps, with their indices', async () => {
    const snapshot = await fieldCaps.get(mixedPattern);
    expect([...(snapshot.fieldTypes.get('mixed') ?? [])].sort()).toEqual(['keyword', 'text']);
    expect(Object.fromEntries(snapshot.indicesByType('mixed'))).toEqual({
      keyword: [`${base}-mix-a`],
      text: [`${base}-mix-b`],
    });
  });

  it.each(MIXED_CASES)('$query', async (testCase) => {
    expect(await matchingIds(kdw, fieldCaps, { index: mixedPattern, idField: 'id' }, testCase)).toEqual(
      testCase.expected,
    );
  });
});
