import type { Dirent } from 'node:fs';
import { readdir, readFile, stat } from 'node:fs/promises';
import { isAbsolute, join, normalize, resolve } from 'node:path';
import { RuleError, type RuleIssue } from './issues';
import { fileError, MAX_RULE_FILE_BYTES, parseRuleBytes, tooLarge, type RuleFileResult } from './parse';
import type { Rule } from './types';

export interface LoadOptions {
  /** base for relative paths (default: process.cwd()); messages keep the paths as given */
  readonly cwd?: string;
}

export interface LoadRulesResult {
  /** valid rules, sorted by file */
  readonly rules: readonly Rule[];
  readonly errors: readonly RuleError[];
  readonly warnings: readonly RuleIssue[];
  /** one entry per file looked at, sorted by file */
  readonly files: readonly RuleFileResult[];
}

/** Rule files end in .toml; files ending in .test.toml hold rule tests and are not rules. */
export function isRuleFileName(name: string): boolean {
  return name.endsWith('.toml') && !name.endsWith('.test.toml');
}

/**
 * Loads rule files and directories (recursively, *.toml). A file named explicitly loads whatever its extension,
 * except *.test.toml (rule tests), which are never rules. A bad file is reported and skipped; the others load.
 * Two files with the same rule_id are both refused, each error naming the other file.
 */
export async function loadRules(paths: readonly string[], options: LoadOptions = {}): Promise<LoadRulesResult> {
  const cwd = options.cwd ?? process.cwd();
  const targets = await expandPaths(paths, cwd);
  const results: RuleFileResult[] = [...targets.missing];
  for (const t of targets.files) results.push(await loadOne(t.abs, t.display));
  results.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  const files = rejectDuplicateIds(results);
  return {
    rules: files.flatMap((f) => (f.ok ? [f.rule] : [])),
    errors: files.flatMap((f) => (f.ok ? [] : f.errors)),
    warnings: files.flatMap((f) => f.warnings),
    files,
  };
}

/** Loads one file; never throws (an unexpected failure becomes the file's error). */
export async function loadRuleFile(path: string, options: LoadOptions = {}): Promise<RuleFileResult> {
  return loadOne(resolve(options.cwd ?? process.cwd(), path), normalize(path));
}

async function loadOne(abs: string, display: string): Promise<RuleFileResult> {
  try {
    const info = await stat(abs);
    if (!info.isFile()) return fileError(display, 'file', 'is not a regular file');
    // refuse before reading: a huge file must cost nothing
    if (info.size > MAX_RULE_FILE_BYTES) return tooLarge(display, info.size);
    return parseRuleBytes(await readFile(abs), display);
  } catch (err) {
    return fileError(display, 'file', describeFailure(err));
  }
}

function describeFailure(err: unknown): string {
  const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : undefined;
  if (code === 'ENOENT') return 'does not exist';
  if (code !== undefined) return `cannot be read (${code})`;
  return `internal error while loading: ${err instanceof Error ? err.message : String(err)}`;
}

interface Target {
  readonly abs: string;
  readonly display: string;
}

async function expandPaths(
  paths: readonly string[],
  cwd: string,
): Promise<{ files: Target[]; missing: RuleFileResult[] }> {
  const files: Target[] = [];
  const missing: RuleFileResult[] = [];
  const seen = new Set<string>();
  const add = (t: Target) => {
    if (!seen.has(t.abs)) {
      seen.add(t.abs);
      files.push(t);
    }
  };
  for (const given of paths) {
    const abs = isAbsolute(given) ? given : resolve(cwd, given);
    const display = normalize(given);
    let isDir: boolean;
    try {
      isDir = (await stat(abs)).isDirectory();
    } catch (err) {
      missing.push(fileError(display, 'file', describeFailure(err)));
      continue;
    }
    if (isDir) for (const t of await walk(abs, display)) add(t);
    else if (!abs.endsWith('.test.toml')) add({ abs, display });
  }
  return { files, missing };
}

/** *.toml files under a directory, hidden entries and symlinked directories left out. */
async function walk(dir: string, display: string): Promise<Target[]> {
  let entries: Dirent[];
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch {
    return [];
  }
  const out: Target[] = [];
  for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : 1))) {
    if (e.name.startsWith('.')) continue;
    const abs = join(dir, e.name);
    const shown = join(display, e.name);
    if (e.isDirectory()) out.push(...(await walk(abs, shown)));
    else if ((e.isFile() || e.isSymbolicLink()) && isRuleFileName(e.name)) out.push({ abs, display: shown });
  }
  return out;
}

function rejectDuplicateIds(results: readonly RuleFileResult[]): RuleFileResult[] {
  const byId = new Map<string, string[]>();
  for (const r of results) if (r.ok) byId.set(r.rule.ruleId, [...(byId.get(r.rule.ruleId) ?? []), r.file]);
  return results.map((r) => {
    const holders = r.ok ? (byId.get(r.rule.ruleId) ?? []) : [];
    if (!r.ok || holders.length < 2) return r;
    const others = holders.filter((f) => f !== r.file).join(', ');
    const issue: RuleIssue = {
      file: r.file,
      ...r.ruleIdPosition,
      key: 'rule.rule_id',
      message: `duplicate rule_id ${r.rule.ruleId}; also in ${others}`,
    };
    return { ok: false, file: r.file, errors: [new RuleError(issue)], warnings: r.warnings };
  });
}
