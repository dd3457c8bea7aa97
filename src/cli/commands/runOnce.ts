import type { Command } from 'commander';
import { DEFAULT_ALERTS_INDEX, DEFAULT_EXECUTIONS_INDEX } from '../../alerts/template';
import { installKdwTemplates } from '../../alerts/install';
import { assertReachable, createEsClient } from '../../es/client';
import { FieldCapsService } from '../../es/fieldCaps';
import { ConfigError } from '../../errors';
import { loadRules, type RunnableRule } from '../../rules';
import { createRunDeps } from '../../ruleTypes/deps';
import { runRule, type RunResult } from '../../ruleTypes/runner';
import { mainWindow } from '../../ruleTypes/windows';
import type { RunWindow } from '../../ruleTypes/types';
import { resolveConnection } from '../connection';
import { selectRule } from '../ruleSelection';
import { parseTimeArg } from '../timeArg';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { textTable } from '../table';
import { kdwVersion } from '../version';
import { rulePaths } from './rulePaths';

interface RunOnceOptions {
  rule?: string;
  from?: string;
  to?: string;
  rules?: string;
  alertsIndex: string;
  executionsIndex: string;
  json?: boolean;
}

/** `kdw run-once`: runs rules once now and prints what they wrote. */
export function registerRunOnce(program: Command, ctx: CommandContext): void {
  program
    .command('run-once')
    .description('run rules once now against Elasticsearch, write their alerts, and print them')
    .option('--rule <rule_id|file>', 'only this rule (its rule_id or its file)')
    .option(
      '--from <time>',
      "start of the window: date math (now-1h) or ISO time (default: each rule's from)",
    )
    .option('--to <time>', "end of the window (default: each rule's to)")
    .option('--rules <dir>', 'where the rules are (default: rules/)')
    .option(
      '--alerts-index <name>',
      'the alerts index',
      ctx.io.env['KDW_ALERTS_INDEX'] ?? DEFAULT_ALERTS_INDEX,
    )
    .option(
      '--executions-index <name>',
      'the execution-records index',
      ctx.io.env['KDW_EXECUTIONS_INDEX'] ?? DEFAULT_EXECUTIONS_INDEX,
    )
    .option('--json', 'print JSON (the default when stdout is not a terminal)')
    .addHelpText(
      'after',
      '\nExit codes: 0 every rule ran, 1 a rule failed, 2 usage or connection error.\n\n' +
        'Examples:\n' +
        '  $ kdw run-once\n' +
        '  $ kdw run-once --rule 63c057cc-339a-11ed-a261-0242ac120002 --from now-1h\n' +
        '  $ kdw run-once --rule rules/kubernetes_anonymous_request_authorized.toml --from 2026-11-20T00:00:00Z --to 2026-11-21T00:00:00Z --json',
    )
    .action(async (opts: RunOnceOptions) => {
      ctx.setExit(await runOnce(opts, ctx));
    });
}

async function selectRules(
  opts: RunOnceOptions,
  ctx: CommandContext,
): Promise<{ rules: RunnableRule[]; invalid: number }> {
  const paths = opts.rules === undefined ? rulePaths([], ctx) : [opts.rules];
  if (opts.rule !== undefined) return { rules: [await selectRule(opts.rule, paths, ctx.io)], invalid: 0 };
  const loaded = await loadRules(paths, { cwd: ctx.io.cwd });
  for (const error of loaded.errors) ctx.io.err(error.message);
  return { rules: loaded.rules.filter((r): r is RunnableRule => r.supported), invalid: loaded.errors.length };
}

async function runOnce(opts: RunOnceOptions, ctx: CommandContext): Promise<number> {
  const now = new Date();
  const from = opts.from === undefined ? undefined : parseTimeArg(opts.from, '--from', now);
  const to = opts.to === undefined ? undefined : parseTimeArg(opts.to, '--to', now);
  if (from !== undefined && to !== undefined && from >= to)
    throw new ConfigError('--from must be earlier than --to', { key: '--from' });
  const { rules, invalid } = await selectRules(opts, ctx);
  const settings = resolveConnection(ctx.io.env, ctx.repoRoot);
  const client = createEsClient(settings);
  try {
    await assertReachable(client, settings.url);
    await installKdwTemplates(client, {
      alertsIndex: opts.alertsIndex,
      executionsIndex: opts.executionsIndex,
    });
    const deps = createRunDeps(client, new FieldCapsService(client), {
      alertsIndex: opts.alertsIndex,
      refresh: true,
    });
    const results: RunResult[] = [];
    for (const rule of rules) {
      const main = mainWindow(rule, now);
      const window: RunWindow = {
        from: from ?? main.from,
        to: to ?? main.to,
        kind: from === undefined && to === undefined ? 'main' : 'manual',
      };
      results.push(
        await runRule(rule, [window], deps, {
          executionsIndex: opts.executionsIndex,
          trigger: 'manual',
          scheduledAt: now,
          kdwVersion: kdwVersion(),
          workerId: 'run-once',
        }),
      );
    }
    print(results, opts.json === true || !ctx.io.isTty, ctx);
    const failed = results.some((r) => r.record.status === 'failed' || r.recordError !== undefined);
    return failed || invalid > 0 ? EXIT.findings : EXIT.ok;
  } finally {
    await client.close();
  }
}

function print(results: readonly RunResult[], json: boolean, ctx: CommandContext): void {
  if (json) {
    ctx.io.out(
      JSON.stringify(
        results.map((r) => ({
          rule_id: r.record.rule.id,
          name: r.record.rule.name,
          status: r.record.status,
          message: r.record.message,
          warnings: r.record.warnings,
          windows: r.record.windows,
          counts: r.record.counts,
          alerts: r.outcomes.flatMap((o) => o.alerts),
          ...(r.recordError === undefined ? {} : { record_error: r.recordError.message }),
        })),
      ),
    );
    return;
  }
  const alertRows = results.flatMap((r) =>
    r.outcomes.flatMap((o) =>
      o.alerts.map((a) => ({
        rule: r.record.rule.name,
        time: a.time,
        severity: a.severity,
        reason: a.reason,
      })),
    ),
  );
  if (alertRows.length > 0) {
    ctx.io.out(
      textTable(alertRows, [
        ['time', 'EVENT TIME'],
        ['severity', 'SEVERITY'],
        ['rule', 'RULE'],
        ['reason', 'REASON'],
      ]),
    );
    ctx.io.out('');
  }
  const summary = results.map((r) => ({
    rule: r.record.rule.name,
    status: r.record.status,
    alerts: String(r.record.counts.alerts_created),
    duplicates: String(r.record.counts.duplicates_skipped),
    hits: String(r.record.counts.hits),
    window: r.record.windows.map((w) => `${w.from} .. ${w.to}`).join(', '),
  }));
  ctx.io.out(
    textTable(summary, [
      ['rule', 'RULE'],
      ['status', 'STATUS'],
      ['alerts', 'ALERTS'],
      ['duplicates', 'DUPLICATES'],
      ['hits', 'HITS'],
      ['window', 'WINDOW'],
    ]),
  );
  for (const r of results) {
    for (const w of r.record.warnings) ctx.io.err(`warning: ${r.record.rule.name}: ${w}`);
    if (r.error !== undefined) ctx.io.err(`error: ${r.record.rule.name}: ${r.error.message}`);
    if (r.recordError !== undefined)
      ctx.io.err(`error: ${r.record.rule.name}: execution record not written: ${r.recordError.message}`);
  }
}
