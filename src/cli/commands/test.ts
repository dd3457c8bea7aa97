import type { Command } from 'commander';
import { assertReachable, createEsClient } from '../../es/client';
import { fileLines, jsonReport, runSuite, summaryLines } from '../../ruletests';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { testConnections } from '../testConnections';
import { kdwVersion } from '../version';
import { rulePaths } from './rulePaths';

/** `kdw test [paths...]`: runs the rule tests (*.test.toml) on the configured Elasticsearch. */
export function registerTest(program: Command, ctx: CommandContext): void {
  program
    .command('test')
    .description(
      'run rule tests (<rule>.test.toml beside each rule: fixture events and expected alerts) on a real ' +
        'Elasticsearch, each case in a throw-away index, and report pass or fail with a diff',
    )
    .argument('[paths...]', 'test files, rule files (their .test.toml) or directories (default: rules/)')
    .option('--case <text>', 'only cases whose name contains this text')
    .option('--json', 'print one JSON document with every case, its alerts and its diff')
    .addHelpText(
      'after',
      '\nEach case loads its fixtures into a new plain index logs-kubernetes.audit_logs-kdwtest-<id>-<n> (integration\n' +
        "mapping) as the admin user (ES_URL credentials, or the local node's admin), runs the rule as kdw's own\n" +
        'user over the windows that cover its events (dry run: nothing is written), compares, and deletes the index.\n' +
        'The file format is described in README.md (Rule tests).\n\n' +
        'Exit codes: 0 every case passed, 1 a case failed or a test file is invalid, 2 usage or connection error.\n\n' +
        'Examples:\n' +
        '  $ kdw test\n' +
        '  $ kdw test rules/kubernetes_anonymous_request_authorized.test.toml\n' +
        '  $ kdw test rules/kubernetes_anonymous_request_authorized.toml --case health\n' +
        '  $ kdw test rules/ --json | jq \'.files[].cases[] | select(.status != "pass")\'',
    )
    .action(async (paths: string[], opts: { case?: string; json?: boolean }) => {
      ctx.setExit(await test(paths, opts, ctx));
    });
}

async function test(
  paths: string[],
  opts: { case?: string; json?: boolean },
  ctx: CommandContext,
): Promise<number> {
  const settings = testConnections(ctx.io.env, ctx.repoRoot);
  const admin = createEsClient(settings.admin);
  const kdw = createEsClient(settings.kdw);
  try {
    await assertReachable(admin, settings.admin.url);
    const json = opts.json === true;
    const result = await runSuite(
      rulePaths(paths, ctx),
      { admin, kdw, kdwVersion: kdwVersion(), now: new Date(Math.floor(Date.now() / 1000) * 1000) },
      {
        cwd: ctx.io.cwd,
        ...(opts.case === undefined ? {} : { filter: opts.case }),
        ...(json ? {} : { onFile: (file) => fileLines(file).forEach((line) => ctx.io.out(line)) }),
      },
    );
    if (json) ctx.io.out(JSON.stringify(jsonReport(result)));
    else summaryLines(result).forEach((line) => ctx.io.out(line));
    const cases = result.counts.passed + result.counts.failed;
    if (cases === 0 && result.counts.errors === 0) {
      ctx.io.err('kdw test: no rule test cases found (files named <rule>.test.toml)');
      return EXIT.findings;
    }
    const ok = result.counts.failed === 0 && result.counts.errors === 0 && result.missing.length === 0;
    return ok ? EXIT.ok : EXIT.findings;
  } finally {
    await Promise.allSettled([admin.close(), kdw.close()]);
  }
}
