import { formatIssue, type RunnableRule } from '../rules';
import { findTestFiles, readTestFile, resolveTestedRule, type TestFileRef } from './discover';
import { parseRuleTestText } from './parse';
import { runCases, type CaseResult, type CaseRunDeps } from './runCase';

export interface FileResult {
  readonly file: string;
  readonly rule?: { readonly ruleId: string; readonly name: string; readonly file: string };
  /** why the file could not run (parse errors at file:line:col, a missing rule) */
  readonly errors: readonly string[];
  readonly cases: readonly CaseResult[];
}

export interface SuiteResult {
  readonly files: readonly FileResult[];
  readonly missing: readonly string[];
  readonly counts: { readonly passed: number; readonly failed: number; readonly errors: number };
  readonly tookMs: number;
}

export interface SuiteOptions {
  readonly cwd: string;
  /** only cases whose name contains this */
  readonly filter?: string;
  /** after each file (text reports print as they go) */
  readonly onFile?: (result: FileResult) => void;
}

/** Finds, parses and runs rule tests, one case after the other. */
export async function runSuite(
  paths: readonly string[],
  deps: CaseRunDeps,
  options: SuiteOptions,
): Promise<SuiteResult> {
  const started = Date.now();
  const { files, missing } = await findTestFiles(paths, options.cwd);
  const results: FileResult[] = [];
  for (const ref of files) {
    const result = await runFile(ref, deps, options);
    options.onFile?.(result);
    results.push(result);
  }
  const cases = results.flatMap((f) => f.cases);
  return {
    files: results,
    missing,
    counts: {
      passed: cases.filter((c) => c.status === 'pass').length,
      failed: cases.filter((c) => c.status === 'fail').length,
      errors:
        cases.filter((c) => c.status === 'error').length + results.filter((f) => f.errors.length > 0).length,
    },
    tookMs: Date.now() - started,
  };
}

async function runFile(ref: TestFileRef, deps: CaseRunDeps, options: SuiteOptions): Promise<FileResult> {
  const parsed = parseRuleTestText(await readTestFile(ref), ref.display);
  if (!parsed.ok) return { file: ref.display, errors: parsed.issues.map(formatIssue), cases: [] };
  let rule: RunnableRule;
  try {
    rule = await resolveTestedRule(ref, parsed.test.rule);
  } catch (err) {
    const at = parsed.test.rulePosition;
    const why = err instanceof Error ? err.message : String(err);
    return { file: ref.display, errors: [`${ref.display}:${at.line}:${at.column}: rule: ${why}`], cases: [] };
  }
  const filter = options.filter;
  const selected = parsed.test.cases.filter((c) => filter === undefined || c.name.includes(filter));
  const cases = await runCases(rule, selected, deps);
  return {
    file: ref.display,
    rule: { ruleId: rule.ruleId, name: rule.name, file: rule.file },
    errors: [],
    cases,
  };
}
