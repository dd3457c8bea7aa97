import { createReadStream, existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createBulkSink, type DocSink } from '../../audit/bulkSink';
import { createDryRunSink } from '../../audit/dryRunSink';
import { replay, type ReplaySummary } from '../../audit/replay';
import { formatProgress, formatReplaySummary } from '../../audit/summary';
import { auditDataStream, ensureAuditTarget, namespaceOf } from '../../audit/target';
import { assertReachable, createEsClient } from '../../es/client';
import { connectionFromEnv, readConnectionFile, type EsConnectionSettings } from '../../es/connection';
import { ConfigError } from '../../errors';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';

interface ReplayCliOptions {
  now?: boolean;
  speed?: string;
  namespace?: string;
  index?: string;
  ingested: string;
  batch: string;
  concurrency: string;
  json?: boolean;
  dryRun?: boolean;
}

/** `kdw replay`: loads raw apiserver audit logs into the Kubernetes integration's data stream. */
export function registerReplay(program: Command, ctx: CommandContext): void {
  program
    .command('replay')
    .description(
      'index raw Kubernetes apiserver audit events (JSON lines of Event or EventList, audit.k8s.io v1/v1beta1)\n' +
        "transformed as Elastic's Kubernetes integration does, into logs-kubernetes.audit_logs-<namespace>",
    )
    .argument('<file>', 'audit log file, or - for standard input')
    .option('--now', 'shift all times so the first event is now (spacing kept)')
    .option(
      '--speed <x>',
      'replay in real time scaled by x (2 = twice as fast); default: as fast as possible',
    )
    .option('--namespace <ns>', 'data stream namespace (default: default)')
    .option(
      '--index <name>',
      'data stream or index to write to (default: logs-kubernetes.audit_logs-<namespace>)',
    )
    .option(
      '--ingested <now|event>',
      'event.ingested: the index time (now, as the integration) or the event time (event: for loading history)',
      'now',
    )
    .option('--batch <docs>', 'documents per bulk request', '2000')
    .option('--concurrency <n>', 'bulk requests in flight', '3')
    .option('--json', 'print the summary as JSON')
    .option('--dry-run', 'read, check and transform everything, send nothing (no Elasticsearch needed)')
    .addHelpText(
      'after',
      '\nConnection: ES_URL with ES_USERNAME/ES_PASSWORD (or ES_API_KEY) and ES_CA_CERT; without ES_URL, the ADMIN\n' +
        'user of the local node (.kdw/connection.env). Replay writes to logs-*, which the kdw user may not.\n' +
        '\nExit codes: 0 all lines valid and indexed, 1 bad lines or events not indexed, 2 usage or connection error.\n\n' +
        'Examples:\n' +
        '  $ kdw replay /var/log/kubernetes/audit.log\n' +
        '  $ kdw generate --scenarios | kdw replay - --now\n' +
        '  $ kdw replay audit.log --now --speed 10 --namespace lab\n' +
        '  $ kdw replay baseline.jsonl --ingested event --json',
    )
    .action(async (file: string, opts: ReplayCliOptions) => {
      ctx.setExit(await runReplay(file, opts, ctx));
    });
}

function positive(text: string, key: string, integer: boolean): number {
  const value = Number(text);
  if (!Number.isFinite(value) || value <= 0 || (integer && !Number.isInteger(value)))
    throw new ConfigError(`${key} must be a positive ${integer ? 'integer' : 'number'}, got "${text}"`, {
      key,
    });
  return value;
}

/** ES_URL and friends, else the local node's admin: replay writes to logs-*, which kdw's own user may not. */
function replayConnection(ctx: CommandContext): EsConnectionSettings {
  const fromEnv = connectionFromEnv(ctx.io.env);
  if (fromEnv !== undefined) return fromEnv;
  const file = join(ctx.repoRoot, '.kdw', 'connection.env');
  if (existsSync(file)) return readConnectionFile(file).admin;
  throw new ConfigError(
    'no Elasticsearch configured: set ES_URL (and ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERT) to a user ' +
      'that may write logs-kubernetes.*, or start a local node with "npm run es -- start"',
    { key: 'ES_URL' },
  );
}

/** Checks the input up front (a usage error, exit 2); the stream itself is opened only when replay starts. */
function inputOf(file: string, ctx: CommandContext): () => AsyncIterable<string | Buffer> {
  if (file === '-') return () => process.stdin;
  const target = resolve(ctx.io.cwd, file);
  if (!existsSync(target)) throw new ConfigError(`no such file: ${file}`, { file });
  if (statSync(target).isDirectory()) throw new ConfigError(`${file} is a directory`, { file });
  return () => createReadStream(target, { highWaterMark: 1024 * 1024 });
}

async function runReplay(file: string, opts: ReplayCliOptions, ctx: CommandContext): Promise<number> {
  const speed = opts.speed === undefined ? undefined : positive(opts.speed, '--speed', false);
  const batchDocs = positive(opts.batch, '--batch', true);
  const concurrency = positive(opts.concurrency, '--concurrency', true);
  if (opts.ingested !== 'now' && opts.ingested !== 'event')
    throw new ConfigError(`--ingested must be now or event, got "${opts.ingested}"`, { key: '--ingested' });
  const namespace =
    opts.namespace ?? (opts.index === undefined ? undefined : namespaceOf(opts.index)) ?? 'default';
  const index = opts.index ?? auditDataStream(namespace);
  const input = inputOf(file, ctx);
  const progress = process.stderr.isTTY === true && opts.json !== true;
  const run = (sink: DocSink): Promise<ReplaySummary> =>
    replay(input(), sink, {
      namespace,
      now: opts.now === true,
      ...(speed === undefined ? {} : { speed }),
      ingested: opts.ingested === 'event' ? 'event' : 'now',
      batchDocs,
      ...(progress ? { onProgress: (p) => process.stderr.write(`\r${formatProgress(p)}\x1b[K`) } : {}),
    });
  if (opts.dryRun === true) {
    const summary = await run(createDryRunSink());
    if (progress) process.stderr.write('\r\x1b[K');
    report(summary, file, index, opts, ctx);
    return exitCode(summary);
  }
  const settings = replayConnection(ctx);
  const client = createEsClient(settings);
  try {
    await assertReachable(client, settings.url);
    const note = await ensureAuditTarget(client, index);
    if (note !== undefined) ctx.io.err(note);
    const sink = createBulkSink(client, { index, concurrency, stampIngested: opts.ingested === 'now' });
    const summary = await run(sink);
    if (progress) process.stderr.write('\r\x1b[K');
    if (summary.indexed > 0) await client.indices.refresh({ index }).catch(() => undefined);
    report(summary, file, index, opts, ctx);
    return exitCode(summary);
  } finally {
    await client.close();
  }
}

function report(
  summary: ReplaySummary,
  file: string,
  index: string,
  opts: ReplayCliOptions,
  ctx: CommandContext,
): void {
  // the process's own high-water mark: what "flat memory" is measured by (bench/replay.ts)
  const peakRssMb = Math.round(process.resourceUsage().maxRSS / 1024);
  const dryRun = opts.dryRun === true;
  if (opts.json === true)
    ctx.io.out(
      JSON.stringify({
        input: file,
        index,
        ...(dryRun ? { dry_run: true } : {}),
        ...summary,
        peak_rss_mb: peakRssMb,
      }),
    );
  else {
    const target = dryRun ? `${index} (dry run: nothing sent)` : index;
    ctx.io.out(formatReplaySummary(summary, file === '-' ? 'standard input' : file, target));
    ctx.io.out(`  peak memory       ${peakRssMb} MB (resident, whole process)`);
  }
}

/** An abort is a request-level failure (connection, rejected request): 2, as for any connection error. */
function exitCode(summary: ReplaySummary): number {
  if (summary.aborted !== undefined) return EXIT.usage;
  return summary.bad > 0 || summary.unindexed > 0 ? EXIT.findings : EXIT.ok;
}
