import type { Command } from 'commander';
import { loadRules, type RuleFileResult } from '../../rules';
import { EXIT } from '../exitCodes';
import { textTable } from '../table';
import type { CommandContext } from '../program';
import { rulePaths } from './rulePaths';
import { plural } from './validate';

type Row = {
  readonly ruleId: string;
  readonly name: string;
  readonly type: string;
  readonly interval: string;
  readonly index: string;
  readonly status: string;
};

const COLUMNS: ReadonlyArray<readonly [keyof Row, string]> = [
  ['ruleId', 'RULE_ID'],
  ['name', 'NAME'],
  ['type', 'TYPE'],
  ['interval', 'INTERVAL'],
  ['index', 'INDEX'],
  ['status', 'STATUS'],
];

/** `kdw rules list [paths...]`: which rules kdw would load, and which it would run. */
export function registerRules(program: Command, ctx: CommandContext): void {
  const rules = program.command('rules').description('inspect rule files');
  rules
    .command('list')
    .description('list rules: rule_id, name, type, interval, index, status (runnable, unsupported, invalid)')
    .argument('[paths...]', 'rule files or directories, searched for *.toml (default: rules/)')
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExits 1 when a file is invalid (run kdw validate for the details).\n\n' +
        'Examples:\n  $ kdw rules list\n  $ kdw rules list rules/ --json',
    )
    .action(async (paths: string[], opts: { json?: boolean }) => {
      const result = await loadRules(rulePaths(paths, ctx), { cwd: ctx.io.cwd });
      const rows = result.files.map(toRow);
      if (opts.json === true) ctx.io.out(JSON.stringify(rows));
      else {
        ctx.io.out(textTable(rows, COLUMNS));
        const invalid = result.files.filter((f) => !f.ok).length;
        ctx.io.out(
          `${plural(result.rules.length, 'rule')}` +
            (invalid > 0 ? `, ${plural(invalid, 'invalid file')} (kdw validate shows why)` : ''),
        );
      }
      ctx.setExit(result.errors.length > 0 ? EXIT.findings : EXIT.ok);
    });
}

function toRow(f: RuleFileResult): Row {
  if (!f.ok) return { ruleId: '-', name: f.file, type: '-', interval: '-', index: '-', status: 'invalid' };
  const r = f.rule;
  return {
    ruleId: r.ruleId,
    name: r.name,
    type: r.type,
    interval: r.interval,
    index: r.index.length > 0 ? r.index.join(',') : '-',
    status: r.supported ? 'runnable' : `unsupported: ${r.reason}`,
  };
}
