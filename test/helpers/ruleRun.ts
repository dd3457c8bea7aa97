import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { installKdwTemplates } from '../../src/alerts/install';
import { FieldCapsService } from '../../src/es/fieldCaps';
import { loadRules, type RunnableRule } from '../../src/rules';
import { createRunDeps } from '../../src/ruleTypes/deps';
import { runRule, type RunResult } from '../../src/ruleTypes/runner';
import type { RunDeps, RunWindow } from '../../src/ruleTypes/types';
import { REPO_ROOT, uniqueName } from './connection';

/** The seed rules of rules/, by rule_id. */
export async function seedRule(ruleId: string): Promise<RunnableRule> {
  const { rules, errors } = await loadRules([join(REPO_ROOT, 'rules')]);
  if (errors.length > 0) throw new Error(errors.map((e) => e.message).join('\n'));
  const rule = rules.find((r) => r.ruleId === ruleId);
  if (rule === undefined || !rule.supported) throw new Error(`no runnable seed rule ${ruleId}`);
  return rule;
}

export const SEED = {
  deniedServiceAccount: '63c056a0-339a-11ed-a261-0242ac120002',
  controllerServiceAccount: '63c05204-339a-11ed-a261-0242ac120002',
  anonymousAuthorized: '63c057cc-339a-11ed-a261-0242ac120002',
} as const;

/** An alerts index and an executions index of its own for one test file, installed as the kdw user. */
export interface RunEnv {
  readonly alertsIndex: string;
  readonly executionsIndex: string;
  readonly deps: RunDeps;
  run(rule: RunnableRule, windows: readonly RunWindow[], scheduledAt?: Date): Promise<RunResult>;
  alerts(): Promise<Record<string, unknown>[]>;
  remove(): Promise<void>;
}

export async function createRunEnv(
  kdw: Client,
  admin: Client,
  options: { install?: boolean } = {},
): Promise<RunEnv> {
  const id = uniqueName('');
  const alertsIndex = `kdw-alerts-t${id}`;
  const executionsIndex = `kdw-executions-t${id}`;
  if (options.install !== false) await installKdwTemplates(kdw, { alertsIndex, executionsIndex });
  const deps = createRunDeps(kdw, new FieldCapsService(kdw, { checkIntervalMs: 0 }), {
    alertsIndex,
    refresh: true,
  });
  return {
    alertsIndex,
    executionsIndex,
    deps,
    run: (rule, windows, scheduledAt = windows[windows.length - 1]?.to ?? new Date()) =>
      runRule(rule, windows, deps, {
        executionsIndex,
        trigger: 'scheduled',
        scheduledAt,
        kdwVersion: 'test',
        workerId: 'jest',
      }),
    alerts: async () => {
      const res = await kdw.search<Record<string, unknown>>({
        index: alertsIndex,
        size: 1000,
        sort: ['kibana.alert.original_time'],
      });
      return res.hits.hits.map((h) => h._source ?? {});
    },
    remove: async () => {
      await admin.indices.delete({ index: [alertsIndex, executionsIndex] }, { ignore: [404] });
      await admin.indices.deleteIndexTemplate(
        { name: `${alertsIndex},${executionsIndex}` },
        { ignore: [404] },
      );
    },
  };
}
