import type { Client } from '@elastic/elasticsearch';
import { installKdwTemplates } from '../alerts/install';
import type { WorkerConfig } from '../config';
import { ConfigError, KdwError } from '../errors';
import { EsUnavailableError, toEsError } from '../es/errors';
import { FieldCapsService } from '../es/fieldCaps';
import type { Logger } from '../observability/logger';
import type { WorkerMetrics } from '../observability/metrics';
import type { RunnableRule } from '../rules';
import { createRunDeps } from '../ruleTypes/deps';
import { CheckpointStore } from './checkpoints';
import type { Clock } from './clock';
import { LeaseStore } from './leases';
import { Limiter } from './limiter';
import { checkPrivileges, MissingPrivilegesError } from './privileges';
import { requiredPrivileges, rulePrivileges } from './requiredPrivileges';
import { createTickExecutor } from './ruleTick';
import { RuleFiles } from './ruleFiles';
import { Scheduler } from './scheduler';
import { ensureStateIndex } from './stateIndices';
import { existsSync } from 'node:fs';

export interface WorkerDeps {
  readonly config: WorkerConfig;
  /** connected as kdw's own user */
  readonly client: Client;
  readonly logger: Logger;
  readonly metrics: WorkerMetrics;
  readonly clock: Clock;
  /** base of the rule paths as shown in messages */
  readonly cwd: string;
  readonly kdwVersion: string;
  readonly sleep?: (ms: number) => Promise<void>;
}

/**
 * The worker: checks its privileges, installs the index templates and the state indices, loads and watches
 * the rules, and schedules them. `start()` refuses a second start; `stop()` is idempotent, lets runs in flight
 * finish within the timeout, gives up this replica's leases, and never closes the client (its owner does).
 */
export class Worker {
  private readonly scheduler: Scheduler<RunnableRule>;
  private readonly files: RuleFiles;
  private readonly leases: LeaseStore;
  private started = false;
  private stopping: Promise<{ unfinished: number }> | undefined;
  private readyFlag = false;
  private wakeUp: (() => void) | undefined;

  constructor(private readonly deps: WorkerDeps) {
    const { config, client, logger, metrics, clock } = deps;
    const now = (): Date => new Date(clock.now());
    this.leases = new LeaseStore(client, config.leasesIndex, config.space, config.workerId, () =>
      clock.now(),
    );
    // The field-caps cache is re-validated (one cheap cluster-state probe) at most every second: a window that
    // ran while a new index was unknown to the cache would move the checkpoint past events it never searched;
    // within a second, the next tick's look-back covers them again.
    const fieldCaps = new FieldCapsService(client, { checkIntervalMs: 1000 });
    const runDeps = createRunDeps(client, fieldCaps, {
      alertsIndex: config.alertsIndex,
      space: config.space,
      now,
    });
    this.scheduler = new Scheduler<RunnableRule>({
      clock,
      limiter: new Limiter(config.concurrency),
      logger,
      execute: createTickExecutor({
        runDeps,
        leases: this.leases,
        checkpoints: new CheckpointStore(client, config.checkpointsIndex, config.space, config.workerId, now),
        metrics,
        logger,
        executionsIndex: config.executionsIndex,
        maxCatchUpMs: config.maxCatchUpMs,
        leaseTtlMs: config.leaseTtlMs,
        workerId: config.workerId,
        kdwVersion: deps.kdwVersion,
      }),
    });
    const scheduler = this.scheduler;
    this.files = new RuleFiles({
      paths: config.rules.paths,
      cwd: deps.cwd,
      logger,
      onError: () => metrics.reloadErrors.inc(),
      sink: {
        upsert: (rule) => {
          scheduler.upsert(rule);
          metrics.rulesScheduled.set(scheduler.size);
        },
        remove: (ruleId) => {
          scheduler.remove(ruleId);
          this.leases.forget(ruleId);
          metrics.rulesScheduled.set(scheduler.size);
        },
      },
    });
  }

  /** Ready once templates are installed and rules scheduled. */
  get ready(): boolean {
    return this.readyFlag && this.stopping === undefined;
  }

  get rules(): RunnableRule[] {
    return this.scheduler.rules();
  }

  async start(): Promise<void> {
    if (this.started) throw new Error('the worker is already started');
    this.started = true;
    const { config, client, logger } = this.deps;
    for (const path of config.rules.paths) {
      if (!existsSync(path))
        throw new ConfigError(`rules.paths: ${path} does not exist`, { key: 'rules.paths' });
    }
    await this.waitForCluster();
    if (this.stopping !== undefined) return;
    await this.files.scan();
    const rules = this.files.rules();
    await checkPrivileges(client, requiredPrivileges(config, rules));
    logger.info(
      `privileges checked: ${rules.length} rule(s), ${new Set(rules.flatMap((r) => r.index)).size} index pattern(s)`,
    );
    await installKdwTemplates(client, {
      alertsIndex: config.alertsIndex,
      executionsIndex: config.executionsIndex,
      version: this.deps.kdwVersion,
    });
    await ensureStateIndex(client, config.checkpointsIndex, 'checkpoints');
    await ensureStateIndex(client, config.leasesIndex, 'leases');
    if (this.stopping !== undefined) return;
    this.files.setAdmission((rule) => this.admit(rule));
    this.scheduler.start();
    this.files.watch(config.rules.reloadIntervalMs);
    this.readyFlag = true;
    logger.info(
      `worker ${config.workerId} ready: ${this.scheduler.size} rule(s) scheduled, concurrency ${config.concurrency}`,
    );
  }

  /** Privileges on a new or changed rule's indices; a missing one keeps the rule out (and says why). */
  private async admit(rule: RunnableRule): Promise<KdwError | undefined> {
    try {
      await checkPrivileges(this.deps.client, { cluster: [], indices: rulePrivileges([rule]) });
      return undefined;
    } catch (err) {
      if (err instanceof MissingPrivilegesError) return err;
      // cannot check now (cluster unreachable): schedule it; its runs report what fails
      return undefined;
    }
  }

  /** Waits until the cluster answers, with backoff between attempts (each attempt is one request with the client's own retries). */
  private async waitForCluster(): Promise<void> {
    const { client, logger, config } = this.deps;
    for (let attempt = 1; this.stopping === undefined; attempt++) {
      try {
        await client.cluster.health({ timeout: '5s' });
        return;
      } catch (err) {
        const error = toEsError(err, 'connect to Elasticsearch', { url: config.elasticsearch.url });
        if (!(error instanceof EsUnavailableError)) throw error;
        const pause = Math.min(1000 * 2 ** (attempt - 1), 30_000);
        logger.warn(`${error.message}; trying again in ${pause} ms`, {
          error: { type: error.code, message: error.message },
        });
        await this.pause(pause);
      }
    }
  }

  private pause(ms: number): Promise<void> {
    if (this.deps.sleep !== undefined) return this.deps.sleep(ms);
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.wakeUp = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  stop(): Promise<{ unfinished: number }> {
    this.stopping ??= (async () => {
      this.wakeUp?.();
      this.files.stop();
      const result = await this.scheduler.stop(this.deps.config.shutdownTimeoutMs);
      if (result.unfinished > 0)
        this.deps.logger.warn(
          `${result.unfinished} run(s) still in flight after ${this.deps.config.shutdownTimeoutMs} ms; their windows run again on the next start`,
        );
      try {
        await this.leases.releaseAll();
      } catch {
        // the leases expire by themselves
      }
      return result;
    })();
    return this.stopping;
  }
}
