import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/program';
import type { CliIo } from '../../../src/cli/io';
import { auditLogsMappings } from '../../../src/es/templates/auditLogs';

function fakeIo(env: NodeJS.ProcessEnv = {}): CliIo & { stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return {
    out: (t) => stdout.push(t),
    err: (t) => stderr.push(t),
    isTty: false,
    env,
    cwd: process.cwd(),
    stdout,
    stderr,
  };
}

const dir = mkdtempSync(join(tmpdir(), 'kdw-kql-'));
const mappingFile = join(dir, 'mapping.json');
writeFileSync(
  mappingFile,
  JSON.stringify({ 'logs-kubernetes.audit_logs-x': { mappings: auditLogsMappings('text') } }),
);
// no repo root with .kdw: the default pattern cannot be reached
const noRepo = dir;

describe('kdw kql', () => {
  it('prints the DSL with the field types of a mapping file', async () => {
    const io = fakeIo();
    const code = await runCli(
      ['kql', 'kubernetes.audit.verb:get and kubernetes.audit.userAgent:"kubectl"', '--mapping', mappingFile],
      io,
      noRepo,
    );
    expect(code).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      bool: {
        filter: [
          {
            bool: {
              should: [{ term: { 'kubernetes.audit.verb': { value: 'get' } } }],
              minimum_should_match: 1,
            },
          },
          {
            bool: {
              should: [{ match_phrase: { 'kubernetes.audit.userAgent': 'kubectl' } }],
              minimum_should_match: 1,
            },
          },
        ],
      },
    });
  });

  it('accepts a _field_caps response as the mapping file', async () => {
    const capsFile = join(dir, 'caps.json');
    writeFileSync(capsFile, JSON.stringify({ indices: ['i'], fields: { ts: { date: { type: 'date' } } } }));
    const io = fakeIo();
    expect(
      await runCli(['kql', 'ts:"2024-01-01"', '--mapping', capsFile, '--time-zone', 'UTC'], io, noRepo),
    ).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      bool: {
        should: [{ range: { ts: { gte: '2024-01-01', lte: '2024-01-01', time_zone: 'UTC' } } }],
        minimum_should_match: 1,
      },
    });
  });

  it('prints the caret message and exits 1 on a syntax error', async () => {
    const io = fakeIo();
    expect(await runCli(['kql', 'a:(b or )', '--mapping', mappingFile], io, noRepo)).toBe(1);
    expect(io.stderr.join('')).toBe(
      'kdw: KQL syntax error: Expected "(", NOT, value but ")" found.\na:(b or )\n--------^',
    );
    expect(io.stdout).toEqual([]);
  });

  it('compiles lucene without field types', async () => {
    const io = fakeIo();
    expect(await runCli(['kql', 'a:b AND c', '--language', 'lucene'], io, noRepo)).toBe(0);
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      bool: { must: [{ query_string: { query: 'a:b AND c', analyze_wildcard: true, time_zone: 'Zulu' } }] },
    });
  });

  it('compiles without field types, and says so, when no Elasticsearch is configured', async () => {
    const io = fakeIo();
    expect(await runCli(['kql', 'a:b'], io, noRepo)).toBe(0);
    expect(io.stderr.join('')).toMatch(/no Elasticsearch configured; compiling without field types/);
    expect(JSON.parse(io.stdout.join(''))).toEqual({
      bool: { should: [{ match: { a: 'b' } }], minimum_should_match: 1 },
    });
  });

  it('refuses a missing mapping file and an unknown language (exit 2)', async () => {
    expect(await runCli(['kql', 'a:b', '--mapping', join(dir, 'nope.json')], fakeIo(), noRepo)).toBe(2);
    expect(await runCli(['kql', 'a:b', '--language', 'eql'], fakeIo(), noRepo)).toBe(2);
  });
});
