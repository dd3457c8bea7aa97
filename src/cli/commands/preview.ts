import type { Command } from 'commander';
import { installKdwTemplates } from '../../alerts/install';
import { DEFAULT_ALERTS_INDEX, DEFAULT_EXECUTIONS_INDEX } from '../../alerts/template';
import { assertReachable, createEsClient } from '../../es/client';
import { FieldCapsService } from '../../es/fieldCaps';
import { ConfigError } from '../../errors';
import { previewJson, previewRule, summaryLine, type PreviewResult } from '../../preview';
import { createRunDeps } from '../../ruleTypes/deps';
import { resolveConnection } from '../connection';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { terminalProgress } from '../progress';
import { selectRule } from '../ruleSelection';
import { textTable } from '../table';
import { parseTimeArg } from '../timeArg';
import { kdwVersion } from '../version';
import { rulePaths } from './rulePaths';

interface PreviewCliOptions {
  from: string;
  to: string;
  write?: boolean;
  json?: boolean;
  ndjson?: boolean;
  rules?: string;
  alertsIndex: string;
  executionsIndex: string;
}

/** `kdw preview <rule>`: runs a rule over a past range in windows of its interval; writes only with --write. */
export function registerPreview(program: Command, ctx: CommandContext): void {
  program
    .command('preview')
    .description(
      'run a rule over a past range in consecutive windows of its interval (a backfill) and print its ' +
        'alerts; nothing is written unless --write',
    )
    .argument('<rule>', 'rule_id, or the rule file')
    .requiredOption('--from <time>', 'start of the range: date math (now-24h) or an ISO time')
    .option('--to <time>', 'end of the range: date math or an ISO time', 'now')
    .option('--write', 'write the alerts (and an execution record), as the worker would have')
    .option('--json', 'print one JSON document: rule, range, summary, warnings, alerts')
    .option('--ndjson', 'print one JSON alert per line (the summary goes to stderr)')
    .option('--rules <dir>', 'where rule_ids are looked up (default: rules/)')
    .option(
      '--alerts-index <name>',
      'the alerts index (--write; duplicates are looked up there either way)',
      ctx.io.env['KDW_ALERTS_INDEX'] ?? DEFAULT_ALERTS_INDEX,
    )
    .option(
      '--executions-index <name>',
      'the execution-records index (--write)',
      ctx.io.env['KDW_EXECUTIONS_INDEX'] ?? DEFAULT_EXECUTIONS_INDEX,
    )
    .addHelpText(
      'after',
      '\nWindows are consecutive, oldest first, each with its own max_signals; an alert found by two windows\n' +
        '(an event on a shared bound) or already in the alerts index counts as a duplicate. On a terminal a\n' +
        "progress bar runs on stderr. Reads logs-* as kdw's own user; --write needs the alerts index.\n\n" +
        'Exit codes: 0 every window ran, 1 a window failed (the later ones did not run), 2 usage or connection error.\n\n' +
        'Examples:\n' +
        '  $ kdw preview 63c057cc-339a-11ed-a261-0242ac120002 --from now-24h\n' +
        '  $ kdw preview rules/kubernetes_anonymous_request_authorized.toml --from 2026-11-20T00:00:00Z --to 2026-11-21T00:00:00Z\n' +
        '  $ kdw preview 63c056a0-339a-11ed-a261-0242ac120002 --from now-7d --ndjson | jq .reason\n' +
        '  $ kdw preview 63c05204-339a-11ed-a261-0242ac120002 --from now-3d/d --to now/d --write --json',
    )
    .action(async (ruleArg: string, opts: PreviewCliOptions) => {
      ctx.setExit(await preview(ruleArg, opts, ctx));
    });
}

async function preview(ruleArg: string, opts: PreviewCliOptions, ctx: CommandContext): Promise<number> {
  if (opts.json === true && opts.ndjson === true)
    throw new ConfigError('--json and --ndjson exclude each other', { key: '--ndjson' });
  const now = new Date();
  const from = parseTimeArg(opts.from, '--from', now);
  const to = parseTimeArg(opts.to, '--to', now);
  if (from >= to) throw new ConfigError('--from must be earlier than --to', { key: '--from' });
  const write = opts.write === true;
  const rule = await selectRule(
    ruleArg,
    opts.rules === undefined ? rulePaths([], ctx) : [opts.rules],
    ctx.io,
  );
  const settings = resolveConnection(ctx.io.env, ctx.repoRoot);
  const client = createEsClient(settings);
  try {
    await assertReachable(client, settings.url);
    if (write) {
      await installKdwTemplates(client, {
        alertsIndex: opts.alertsIndex,
        executionsIndex: opts.executionsIndex,
      });
    }
    const deps = {
      ...createRunDeps(client, new FieldCapsService(client), {
        alertsIndex: opts.alertsIndex,
        refresh: write,
      }),
      dryRun: !write,
    };
    const progress = terminalProgress(rule.name, ctx.io.isTty);
    let result: PreviewResult;
    try {
      result = await previewRule(rule, deps, {
        from,
        to,
        write,
        executionsIndex: opts.executionsIndex,
        kdwVersion: kdwVersion(),
        onWindow: (outcome, done, total) => {
          if (done === 1) progress.start(total);
          progress.update(done, `${outcome.window.to.toISOString()}`);
        },
      });
    } catch (err) {
      if (err instanceof RangeError) throw new ConfigError(err.message, { key: '--from' });
      throw err;
    } finally {
      progress.stop();
    }
    print(
      result,
      {
        rule,
        from,
        to,
        write,
        format: opts.json === true ? 'json' : opts.ndjson === true ? 'ndjson' : 'table',
      },
      ctx,
    );
    return result.error === undefined ? EXIT.ok : EXIT.findings;
  } finally {
    await client.close();
  }
}

function print(
  result: PreviewResult,
  shown: {
    rule: Parameters<typeof previewJson>[0];
    from: Date;
    to: Date;
    write: boolean;
    format: 'json' | 'ndjson' | 'table';
  },
  ctx: CommandContext,
): void {
  for (const w of result.warnings) ctx.io.err(`warning: ${w}`);
  if (result.error !== undefined) ctx.io.err(`error: a window failed: ${result.error}`);
  if (shown.format === 'json') {
    ctx.io.out(JSON.stringify(previewJson(shown.rule, shown, shown.write, result)));
    return;
  }
  if (shown.format === 'ndjson') {
    for (const alert of result.alerts) ctx.io.out(JSON.stringify(alert));
  } else if (result.alerts.length > 0) {
    ctx.io.out(
      textTable(
        result.alerts.map((a) => ({
          time: a.time,
          severity: a.severity,
          terms: a.newTerms === undefined ? '' : a.newTerms.map((t) => String(t)).join(', '),
          reason: a.reason,
        })),
        [
          ['time', 'EVENT TIME'],
          ['severity', 'SEVERITY'],
          ...(shown.rule.type === 'new_terms' ? [['terms', 'NEW TERMS'] as const] : []),
          ['reason', 'REASON'],
        ],
      ),
    );
    ctx.io.out('');
  }
  const line = `${shown.rule.name}: ${summaryLine(result, shown.write)}`;
  if (shown.format === 'ndjson') ctx.io.err(line);
  else ctx.io.out(line);
}
