import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { createLogger } from '../../../src/observability/logger';
import { RuleFiles } from '../../../src/scheduler/ruleFiles';
import type { RunnableRule } from '../../../src/rules';

function ruleText(ruleId: string, name: string, severity = 'low'): string {
  return `[metadata]
creation_date = "2026/11/23"
maturity = "production"
updated_date = "2026/11/23"

[rule]
author = ["kdw tests"]
description = "d"
from = "now-6m"
index = ["logs-*"]
language = "kuery"
license = "Apache-2.0"
name = "${name}"
risk_score = 21
rule_id = "${ruleId}"
severity = "${severity}"
type = "query"
query = "event.action: x"
`;
}

describe('RuleFiles (hot reload)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kdw-rulefiles-'));
  mkdirSync(join(dir, 'sub'));
  const lines: string[] = [];
  const logger = createLogger({
    level: 'debug',
    stream: new Writable({
      write(chunk: Buffer, _enc, done) {
        lines.push(chunk.toString());
        done();
      },
    }),
  });
  const scheduled = new Map<string, RunnableRule>();
  const files = new RuleFiles({
    paths: [dir],
    cwd: dir,
    logger,
    sink: { upsert: (r) => scheduled.set(r.ruleId, r), remove: (id) => scheduled.delete(id) },
  });
  // a new mtime for every write, whatever the file system's resolution
  let clock = Date.now() / 1000;
  const write = (path: string, text: string): void => {
    writeFileSync(path, text);
    clock += 10;
    utimesSync(path, clock, clock);
  };
  const a = randomUUID();
  const b = randomUUID();
  const fileA = join(dir, 'a.toml');
  const fileB = join(dir, 'sub', 'b.toml');

  it('loads the rules at the first scan, and picks up a new file', async () => {
    write(fileA, ruleText(a, 'A'));
    await files.scan();
    expect([...scheduled.keys()]).toEqual([a]);
    write(fileB, ruleText(b, 'B'));
    await files.scan();
    expect(new Set(scheduled.keys())).toEqual(new Set([a, b]));
  });

  it('keeps the previous version on an invalid edit, reporting file:line:col, then takes the fixed one', async () => {
    write(fileA, ruleText(a, 'A', 'urgent'));
    await files.scan();
    expect(scheduled.get(a)?.severity).toBe('low');
    const error = lines.find((l) => l.includes('invalid rule file'));
    expect(error).toMatch(
      /a\.toml:16:1: rule\.severity: .*\(the previous version of rule [0-9a-f-]+ keeps running\)/,
    );
    write(fileA, ruleText(a, 'A2', 'high'));
    await files.scan();
    expect(scheduled.get(a)).toMatchObject({ name: 'A2', severity: 'high' });
  });

  it('refuses a second file with the same rule_id and removes the rule of a deleted file', async () => {
    const dup = join(dir, 'dup.toml');
    write(dup, ruleText(a, 'dup'));
    await files.scan();
    expect(scheduled.get(a)?.name).toBe('A2');
    expect(lines.some((l) => l.includes('duplicate rule_id') && l.includes('dup.toml'))).toBe(true);
    unlinkSync(dup);
    unlinkSync(fileB);
    await files.scan();
    expect([...scheduled.keys()]).toEqual([a]);
  });

  it('does not schedule a rule its admission check refuses', async () => {
    const c = randomUUID();
    const { KdwError } = await import('../../../src/errors');
    files.setAdmission(async (rule) =>
      rule.ruleId === c ? new KdwError('missing_privileges', 'no read on other-*') : undefined,
    );
    write(join(dir, 'c.toml'), ruleText(c, 'C'));
    await files.scan();
    expect(scheduled.has(c)).toBe(false);
    expect(lines.some((l) => l.includes(`rule ${c} in c.toml is not scheduled: no read on other-*`))).toBe(
      true,
    );
    files.stop();
  });
});
