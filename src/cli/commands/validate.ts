import type { Command } from 'commander';
import { formatIssue, loadRules, type LoadedRule, type LoadRulesResult, type RuleIssue } from '../../rules';
import { kqlIssues } from '../../rules/queryCheck';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { rulePaths } from './rulePaths';

/** Checks that run on valid rules after loading: KQL syntax errors at file:line:col of the rule file. */
export type RuleCheck = (loaded: LoadedRule) => readonly RuleIssue[];
export const RULE_CHECKS: readonly RuleCheck[] = [kqlIssues];

/** `kdw validate [paths...]`: every rule file valid, or a report of what is wrong where. */
export function registerValidate(program: Command, ctx: CommandContext): void {
  program
    .command('validate')
    .description('check rule files (detection-rules TOML): syntax, keys, types, values, duplicate rule_ids')
    .argument('[paths...]', 'rule files or directories, searched for *.toml (default: rules/)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nPrints file:line:col: key: message for each problem; exits 0 when every rule is valid, 1 otherwise.\n' +
        'Warnings (unknown keys, short look-back) are printed but do not fail.\n\n' +
        'Examples:\n  $ kdw validate\n  $ kdw validate rules/ my-rules/extra.toml\n  $ kdw validate --json rules/ | jq .errors',
    )
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const result = await loadRules(rulePaths(paths, ctx), { cwd: ctx.io.cwd });
      const extra = result.files.flatMap((f) => (f.ok ? RULE_CHECKS.flatMap((check) => check(f)) : []));
      ctx.setExit(report(ctx, result, extra, opts.json === true));
    });
}

function report(
  ctx: CommandContext,
  result: LoadRulesResult,
  extra: readonly RuleIssue[],
  json: boolean,
): number {
  const errors = [...result.errors.map((e) => e.issue), ...extra];
  const ok = errors.length === 0 && result.files.length > 0;
  if (json) {
    ctx.io.out(
      JSON.stringify({
        valid: ok,
        files: result.files.length,
        rules: result.rules.map((r) => ({
          file: r.file,
          ruleId: r.ruleId,
          name: r.name,
          type: r.type,
          supported: r.supported,
        })),
        errors,
        warnings: result.warnings,
      }),
    );
    return ok ? EXIT.ok : EXIT.findings;
  }
  for (const e of errors) ctx.io.out(formatIssue(e));
  for (const w of result.warnings) ctx.io.out(`warning: ${formatIssue(w)}`);
  if (result.files.length === 0) {
    ctx.io.out('no rule files found (*.toml)');
    return EXIT.findings;
  }
  ctx.io.out(summary(result, new Set(extra.map((i) => i.file)), errors.length));
  return ok ? EXIT.ok : EXIT.findings;
}

function summary(result: LoadRulesResult, failedChecks: ReadonlySet<string>, errorCount: number): string {
  const files = result.files.length;
  const valid = result.rules.filter((r) => !failedChecks.has(r.file));
  const invalid = files - valid.length;
  const unsupported = valid.filter((r) => !r.supported).length;
  const parts = [
    `${plural(files, 'file')}: ${valid.length} valid`,
    unsupported > 0 ? ` (${unsupported} of a type not supported yet)` : '',
    `, ${invalid} invalid`,
    errorCount > 0 ? `, ${plural(errorCount, 'error')}` : '',
    result.warnings.length > 0 ? `, ${plural(result.warnings.length, 'warning')}` : '',
  ];
  return parts.join('');
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}
