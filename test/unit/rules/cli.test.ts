import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { CliIo } from '../../../src/cli/io';
import { runCli } from '../../../src/cli/program';
import { edit, NEW_TERMS_RULE, QUERY_RULE } from './helpers';

const REPO = join(__dirname, '../../..');

interface Run {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

async function kdw(argv: readonly string[], cwd: string, repoRoot = REPO): Promise<Run> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (t) => out.push(t), err: (t) => err.push(t), isTty: false, env: {}, cwd };
  const code = await runCli(argv, io, repoRoot);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

describe('kdw validate', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kdw-cli-'));
    mkdirSync(join(dir, 'rules'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const write = (name: string, text: string) => writeFileSync(join(dir, 'rules', name), text);

  it("passes on the repository's rules/ by default", async () => {
    const run = await kdw(['validate'], REPO);
    expect(run).toEqual({ code: 0, out: '3 files: 3 valid, 0 invalid', err: '' });
  });

  it('shows the default rules/ relative to the working directory', async () => {
    write('a.toml', edit(QUERY_RULE, 'severity = "low"', 'severity = "urgent"'));
    const run = await kdw(['validate'], join(dir, 'rules'), dir);
    expect(run.out.split('\n')[0]).toBe(
      'a.toml:13:1: rule.severity: must be one of low, medium, high, critical (got "urgent")',
    );
  });

  it('reports file:line:col: key: message and exits 1 when a file is invalid', async () => {
    write('a.toml', QUERY_RULE);
    write('b.toml', edit(NEW_TERMS_RULE, 'value = "now-7d"', 'value = "now-1m"'));
    write('c.toml', 'not toml at all');
    const run = await kdw(['validate', 'rules'], dir);
    expect(run.code).toBe(1);
    expect(run.out.split('\n')).toEqual([
      'rules/b.toml:22:1: rule.new_terms.history_window_start[0].value: must be earlier than from (now-6m) (got "now-1m")',
      'rules/c.toml:1:5: toml: not valid TOML: illegal character in key',
      '3 files: 1 valid, 2 invalid, 2 errors',
    ]);
  });

  it('prints warnings without failing', async () => {
    write('a.toml', edit(QUERY_RULE, 'type = "query"', 'type = "query"\ncolour = "red"'));
    const run = await kdw(['validate', 'rules'], dir);
    expect(run.code).toBe(0);
    expect(run.out.split('\n')).toEqual([
      'warning: rules/a.toml:15:1: rule.colour: unknown key (ignored)',
      '1 file: 1 valid, 0 invalid, 1 warning',
    ]);
  });

  it('counts rules of types kdw does not run yet as valid', async () => {
    write('a.toml', edit(QUERY_RULE, 'type = "query"', 'type = "eql"').replace('"kuery"', '"eql"'));
    const run = await kdw(['validate', 'rules'], dir);
    expect(run).toMatchObject({ code: 0, out: '1 file: 1 valid (1 of a type not supported yet), 0 invalid' });
  });

  it('prints JSON with --json', async () => {
    write('a.toml', QUERY_RULE);
    write('b.toml', edit(QUERY_RULE, 'risk_score = 21', 'risk_score = 200'));
    const run = await kdw(['validate', '--json', 'rules'], dir);
    expect(run.code).toBe(1);
    expect(JSON.parse(run.out)).toEqual({
      valid: false,
      files: 2,
      rules: [
        {
          file: 'rules/a.toml',
          ruleId: '11111111-2222-4333-8444-555555555555',
          name: 'Test rule',
          type: 'query',
          supported: true,
        },
      ],
      errors: [
        {
          file: 'rules/b.toml',
          line: 11,
          column: 1,
          key: 'rule.risk_score',
          message: 'must be between 0 and 100 (got 200)',
        },
      ],
      warnings: [],
    });
  });

  it('fails when there is nothing to validate', async () => {
    const run = await kdw(['validate', 'rules'], dir);
    expect(run).toEqual({ code: 1, out: 'no rule files found (*.toml)', err: '' });
  });

  it('fails on a path that does not exist', async () => {
    const run = await kdw(['validate', 'missing'], dir);
    expect(run.code).toBe(1);
    expect(run.out.split('\n')[0]).toBe('missing:1:1: file: does not exist');
  });

  it('has help with examples', async () => {
    const run = await kdw(['validate', '--help'], dir);
    expect(run.code).toBe(0);
    expect(run.out).toContain('Usage: kdw validate [options] [paths...]');
    expect(run.out).toContain('$ kdw validate rules/ my-rules/extra.toml');
  });
});

describe('kdw rules list', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kdw-cli-'));
    mkdirSync(join(dir, 'rules'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lists the repository's rules", async () => {
    const run = await kdw(['rules', 'list'], REPO);
    expect(run.code).toBe(0);
    const lines = run.out.split('\n');
    expect(lines[0]).toMatch(/^RULE_ID {2,}NAME {2,}TYPE {2,}INTERVAL {2,}INDEX {2,}STATUS$/);
    expect(lines).toContainEqual(
      expect.stringMatching(
        /^63c056a0-339a-11ed-a261-0242ac120002 {2}Kubernetes Denied Service Account Request via Unusual User Agent {2}new_terms {2}5m {8}logs-kubernetes\.audit_logs-\* {2}runnable$/,
      ),
    );
    expect(lines.at(-1)).toBe('3 rules');
  });

  it('shows runnable, unsupported and invalid files, and exits 1 when one is invalid', async () => {
    writeFileSync(join(dir, 'rules/a.toml'), QUERY_RULE);
    writeFileSync(
      join(dir, 'rules/b.toml'),
      edit(QUERY_RULE, 'type = "query"', 'type = "esql"')
        .replace('"kuery"', '"esql"')
        .replace('index = ["logs-*"]\n', '')
        .replace('11111111-', '22222222-'),
    );
    writeFileSync(join(dir, 'rules/c.toml'), '[rule]\nname = 1\n');
    const run = await kdw(['rules', 'list', 'rules'], dir);
    expect(run.code).toBe(1);
    expect(run.out.split('\n')).toEqual([
      'RULE_ID                               NAME          TYPE   INTERVAL  INDEX   STATUS',
      '11111111-2222-4333-8444-555555555555  Test rule     query  5m        logs-*  runnable',
      '22222222-2222-4333-8444-555555555555  Test rule     esql   5m        -       unsupported: type not supported yet',
      '-                                     rules/c.toml  -      -         -       invalid',
      '2 rules, 1 invalid file (kdw validate shows why)',
    ]);
  });

  it('prints JSON rows with --json', async () => {
    writeFileSync(join(dir, 'rules/a.toml'), QUERY_RULE);
    const run = await kdw(['rules', 'list', '--json', 'rules'], dir);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.out)).toEqual([
      {
        ruleId: '11111111-2222-4333-8444-555555555555',
        name: 'Test rule',
        type: 'query',
        interval: '5m',
        index: 'logs-*',
        status: 'runnable',
      },
    ]);
  });
});
