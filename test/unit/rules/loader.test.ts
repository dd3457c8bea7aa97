import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadRuleFile, loadRules, MAX_RULE_FILE_BYTES, parseRuleBytes, RuleError } from '../../../src/rules';
import { edit, QUERY_RULE } from './helpers';

const OTHER_ID = 'rule_id = "99999999-2222-4333-8444-555555555555"';
const withId = (id: string) => edit(QUERY_RULE, 'rule_id = "11111111-2222-4333-8444-555555555555"', id);

describe('loadRules', () => {
  let root: string;
  const write = (rel: string, content: string | Buffer) => {
    const path = join(root, rel);
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, content);
    return path;
  };

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'kdw-rules-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('loads a directory recursively; one broken file is reported and skipped, the others load', async () => {
    write('rules/a.toml', QUERY_RULE);
    write('rules/nested/b.toml', withId(OTHER_ID));
    write('rules/c.toml', edit(QUERY_RULE, 'severity = "low"', 'severity = "urgent"'));
    const result = await loadRules(['rules'], { cwd: root });
    expect(result.rules.map((r) => r.file)).toEqual(['rules/a.toml', 'rules/nested/b.toml']);
    expect(result.errors.map((e) => e.message)).toEqual([
      'rules/c.toml:13:1: rule.severity: must be one of low, medium, high, critical (got "urgent")',
    ]);
    expect(result.files.map((f) => [f.file, f.ok])).toEqual([
      ['rules/a.toml', true],
      ['rules/c.toml', false],
      ['rules/nested/b.toml', true],
    ]);
  });

  it('takes only *.toml, skips *.test.toml, other files and hidden entries', async () => {
    write('rules/a.toml', QUERY_RULE);
    write('rules/a.test.toml', 'not a rule');
    write('rules/README.md', '# rules');
    write('rules/.hidden.toml', 'not = [a rule');
    write('rules/.git/x.toml', 'not = [a rule');
    const result = await loadRules([join(root, 'rules')]);
    expect(result.files.map((f) => f.file)).toEqual([join(root, 'rules/a.toml')]);
    expect(result.errors).toEqual([]);
  });

  it('follows symlinked files but not symlinked directories', async () => {
    const target = write('elsewhere/linked.toml', QUERY_RULE);
    write('rules/.keep', '');
    symlinkSync(target, join(root, 'rules/linked.toml'));
    symlinkSync(join(root, 'elsewhere'), join(root, 'rules/loop'));
    const result = await loadRules(['rules'], { cwd: root });
    expect(result.files.map((f) => f.file)).toEqual(['rules/linked.toml']);
  });

  it('refuses both files of a duplicate rule_id, each error naming the other file', async () => {
    write('rules/a.toml', QUERY_RULE);
    write('rules/b.toml', QUERY_RULE);
    write('rules/c.toml', withId(OTHER_ID));
    const result = await loadRules(['rules'], { cwd: root });
    expect(result.rules.map((r) => r.file)).toEqual(['rules/c.toml']);
    expect(result.errors.map((e) => e.message)).toEqual([
      'rules/a.toml:12:1: rule.rule_id: duplicate rule_id 11111111-2222-4333-8444-555555555555; also in rules/b.toml',
      'rules/b.toml:12:1: rule.rule_id: duplicate rule_id 11111111-2222-4333-8444-555555555555; also in rules/a.toml',
    ]);
  });

  it('loads a file named twice (directly and through its directory) once', async () => {
    write('rules/a.toml', QUERY_RULE);
    const result = await loadRules(['rules', 'rules/a.toml'], { cwd: root });
    expect(result.rules).toHaveLength(1);
    expect(result.errors).toEqual([]);
  });

  it.each([
    ['empty.toml', '', 'empty.toml:1:1: file: is empty'],
    ['blank.toml', '\n  \n\t\n', 'blank.toml:1:1: file: is empty'],
    ['binary.toml', Buffer.from([0x5b, 0x72, 0x00, 0x01, 0xff]), 'binary.toml:1:1: file: is binary (NUL byte at offset 2)'],
    ['latin1.toml', Buffer.from('name = "caf\xe9"', 'latin1'), 'latin1.toml:1:1: file: is not valid UTF-8 text'],
    ['json.toml', '{"rule": {"name": "x"}}', 'json.toml:1:1: toml: not valid TOML: illegal character in key'],
    ['yaml.toml', 'rule:\n  name: x\n', 'yaml.toml:1:5: toml: not valid TOML: illegal character in key'],
  ])('%s gets a clear error', async (name, content, message) => {
    write(name, content);
    const result = await loadRules([name], { cwd: root });
    expect(result.rules).toEqual([]);
    expect(result.errors.map((e) => e.message)).toEqual([message]);
    expect(result.errors[0]).toBeInstanceOf(RuleError);
  });

  it('refuses a huge file by its size, without reading it', async () => {
    const path = write('huge.toml', '');
    truncateSync(path, 8 * 1024 * 1024 * 1024); // sparse 8 GB: reading it would exhaust memory
    const started = Date.now();
    const result = await loadRules([path]);
    expect(result.errors.map((e) => e.message)).toEqual([
      `${path}:1:1: file: is too large (8589934592 bytes; the limit is ${MAX_RULE_FILE_BYTES})`,
    ]);
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('accepts a file of exactly the limit and refuses one byte more', () => {
    const ok = Buffer.alloc(MAX_RULE_FILE_BYTES, 0x20);
    expect(parseRuleBytes(ok, 'x.toml')).toMatchObject({ ok: false, errors: [{ issue: { message: 'is empty' } }] });
    const big = Buffer.alloc(MAX_RULE_FILE_BYTES + 1, 0x20);
    expect(parseRuleBytes(big, 'x.toml')).toMatchObject({
      ok: false,
      errors: [{ issue: { message: `is too large (${MAX_RULE_FILE_BYTES + 1} bytes; the limit is 1048576)` } }],
    });
  });

  it('refuses a FIFO instead of blocking on it', async () => {
    const fifo = join(root, 'pipe.toml');
    execFileSync('mkfifo', [fifo]);
    const result = await loadRules([fifo]);
    expect(result.errors.map((e) => e.issue.message)).toEqual(['is not a regular file']);
  });

  it('reports a path that does not exist', async () => {
    const result = await loadRules(['nope', 'rules-missing/x.toml'], { cwd: root });
    expect(result.errors.map((e) => e.message)).toEqual([
      'nope:1:1: file: does not exist',
      'rules-missing/x.toml:1:1: file: does not exist',
    ]);
  });

  it('never takes a *.test.toml file for a rule, even when named', async () => {
    write('rules/a.test.toml', 'not a rule');
    const result = await loadRules(['rules/a.test.toml'], { cwd: root });
    expect(result).toEqual({ rules: [], errors: [], warnings: [], files: [] });
  });

  it('loads a file given by name whatever its extension, and strips a UTF-8 BOM', async () => {
    write('my-rule.txt', `\uFEFF${QUERY_RULE}`);
    const result = await loadRuleFile('my-rule.txt', { cwd: root });
    expect(result.ok && result.rule.ruleId).toBe('11111111-2222-4333-8444-555555555555');
  });

  it('returns nothing and no error for an empty directory', async () => {
    mkdirSync(join(root, 'rules'));
    const result = await loadRules(['rules'], { cwd: root });
    expect(result).toEqual({ rules: [], errors: [], warnings: [], files: [] });
  });
});
