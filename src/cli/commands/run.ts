import { hostname } from 'node:os';
import { join } from 'node:path';
import type { Command } from 'commander';
import { loadConfig, type WorkerConfig } from '../../config';
import { createEsClient } from '../../es/client';
import { KdwError } from '../../errors';
import { createLogger, type Logger } from '../../observability/logger';
import { WorkerMetrics } from '../../observability/metrics';
import { startHttpEndpoint, type HttpEndpoint } from '../../observability/server';
import { cronClock } from '../../scheduler/clock';
import { Worker } from '../../scheduler/worker';
import { EXIT } from '../exitCodes';
import type { CommandContext } from '../program';
import { kdwVersion } from '../version';

interface RunOptions {
  config?: string;
}

/** `kdw run`: the worker. Runs until SIGINT/SIGTERM. */
export function registerRun(program: Command, ctx: CommandContext): void {
  program
    .command('run')
    .description('run every rule on its schedule until SIGINT/SIGTERM (the worker)')
    .option(
      '--config <file>',
      'configuration file over config/default.toml (environment variables override both)',
    )
    .addHelpText(
      'after',
      '\nExit codes: 0 after a graceful shutdown, 2 configuration error, missing privilege or Elasticsearch error at start.\n' +
        'Endpoints: /healthz, /readyz, /metrics on http.host:http.port. Logs: ECS JSON lines on stdout.\n\n' +
        'Examples:\n' +
        '  $ kdw run\n' +
        '  $ ES_PASSWORD=... kdw run --config /etc/kdw/kdw.toml',
    )
    .action(async (opts: RunOptions) => {
      ctx.setExit(await run(opts, ctx));
    });
}

function describeConnection(config: WorkerConfig): Record<string, unknown> {
  const auth = config.elasticsearch.auth;
  return {
    url: { full: config.elasticsearch.url },
    user: { name: auth === undefined ? '(none)' : 'username' in auth ? auth.username : '(api key)' },
  };
}

async function run(opts: RunOptions, ctx: CommandContext): Promise<number> {
  const config = loadConfig({
    defaultFile: join(ctx.repoRoot, 'config', 'default.toml'),
    ...(opts.config === undefined ? {} : { file: opts.config }),
    env: ctx.io.env,
    cwd: ctx.io.cwd,
    repoRoot: ctx.repoRoot,
    hostname: hostname(),
    pid: process.pid,
  });
  const version = kdwVersion();
  const logger = createLogger({
    level: config.log.level,
    workerId: config.workerId,
    serviceVersion: version,
  });
  logger.info(
    `kdw ${version} starting as worker ${config.workerId}; configuration from ${config.sources.join(', ')}`,
    describeConnection(config),
  );
  if (!config.elasticsearch.tlsVerify)
    logger.warn('elasticsearch.tls_verify is false: the server certificate is not verified');
  const client = createEsClient(config.elasticsearch);
  const metrics = new WorkerMetrics();
  const worker = new Worker({
    config,
    client,
    logger,
    metrics,
    clock: cronClock(),
    cwd: ctx.io.cwd,
    kdwVersion: version,
  });
  let alive = true;
  let http: HttpEndpoint | undefined;
  let shutdown: Promise<number> | undefined;
  let stopped: (code: number) => void = () => undefined;
  const done = new Promise<number>((resolve) => (stopped = resolve));
  const stop = (reason: string, code: number): Promise<number> => {
    shutdown ??= (async () => {
      alive = false;
      logger.info(`shutting down (${reason})`);
      const result = await worker.stop();
      await http?.close();
      await client.close();
      logger.info(`stopped${result.unfinished > 0 ? ` with ${result.unfinished} run(s) unfinished` : ''}`);
      await flush(logger);
      stopped(code);
      return code;
    })();
    return shutdown;
  };
  // wired once, here: the composition root
  const onSignal = (signal: NodeJS.Signals): void => void stop(signal, EXIT.ok);
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  try {
    http = await startHttpEndpoint({
      host: config.http.host,
      port: config.http.port,
      registry: metrics.registry,
      isReady: () => worker.ready,
      isAlive: () => alive,
      logger,
    });
    await worker.start();
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.error(`cannot start: ${message}`, {
      error: { type: err instanceof KdwError ? err.code : 'error', message },
    });
    ctx.io.err(`kdw: cannot start: ${message}`);
    await stop('start-up failed', EXIT.usage);
  }
  const code = await done;
  process.off('SIGINT', onSignal);
  process.off('SIGTERM', onSignal);
  return code;
}

/** Waits until the logger has written what it holds (winston writes asynchronously). */
function flush(logger: Logger): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1000);
    logger.on('finish', () => {
      clearTimeout(timer);
      resolve();
    });
    logger.end();
  });
}
