import { readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import { loadRuleFile, loadRules, type RunnableRule } from '../rules';
import { isRuleTestFileName, TEST_FILE_SUFFIX } from './parse';

/** A test file found under the given paths: the path to read and the path to show. */
export interface TestFileRef {
  readonly abs: string;
  readonly display: string;
}

/**
 * The rule test files under `paths`: directories are searched recursively for *.test.toml (hidden entries
 * skipped); a rule file `x.toml` stands for its tests `x.test.toml` beside it. Paths that do not exist are
 * returned as missing.
 */
export async function findTestFiles(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: TestFileRef[]; missing: string[] }> {
  const files = new Map<string, TestFileRef>();
  const missing: string[] = [];
  const show = (abs: string): string => relative(cwd, abs) || abs;
  const walk = async (dir: string): Promise<void> => {
    const entries = await readdir(dir, { withFileTypes: true });
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.name.startsWith('.')) continue;
      const abs = join(dir, e.name);
      if (e.isDirectory()) await walk(abs);
      else if (isRuleTestFileName(e.name)) files.set(abs, { abs, display: show(abs) });
    }
  };
  for (const p of paths) {
    const abs = resolve(cwd, p);
    const info = await stat(abs).catch(() => undefined);
    if (info === undefined) missing.push(p);
    else if (info.isDirectory()) await walk(abs);
    else if (isRuleTestFileName(abs)) files.set(abs, { abs, display: show(abs) });
    else if (abs.endsWith('.toml')) {
      const sibling = `${abs.slice(0, -'.toml'.length)}${TEST_FILE_SUFFIX}`;
      if ((await stat(sibling).catch(() => undefined)) === undefined)
        missing.push(`${p} (no ${show(sibling)})`);
      else files.set(sibling, { abs: sibling, display: show(sibling) });
    } else missing.push(`${p} (not a *${TEST_FILE_SUFFIX} file)`);
  }
  return { files: [...files.values()].sort((a, b) => a.display.localeCompare(b.display)), missing };
}

export async function readTestFile(ref: TestFileRef): Promise<string> {
  return readFile(ref.abs, 'utf8');
}

/**
 * The rule a test file names: a file relative to the test file (anything ending in .toml or holding a `/`), else
 * a rule_id among the rules of the test file's directory. Throws an Error whose message says what is wrong.
 */
export async function resolveTestedRule(ref: TestFileRef, rule: string): Promise<RunnableRule> {
  const dir = dirname(ref.abs);
  if (rule.endsWith('.toml') || rule.includes('/')) {
    const abs = resolve(dir, rule);
    if ((await stat(abs).catch(() => undefined)) === undefined)
      throw new Error(
        `${rule} does not exist beside the test file (name the rule with rule = "<file or rule_id>")`,
      );
    const loaded = await loadRuleFile(abs);
    if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('\n'));
    if (!loaded.rule.supported)
      throw new Error(`${rule}: rule type ${loaded.rule.type} is not supported yet`);
    return loaded.rule;
  }
  const loaded = await loadRules([dir]);
  const found = loaded.rules.find((r) => r.ruleId === rule);
  if (found === undefined) throw new Error(`no rule with rule_id ${rule} in ${dir}`);
  if (!found.supported) throw new Error(`${found.file}: rule type ${found.type} is not supported yet`);
  return found;
}
