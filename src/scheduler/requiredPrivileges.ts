import type { WorkerConfig } from '../config';
import type { RunnableRule } from '../rules';
import type { RequiredPrivileges } from './privileges';

/** What the rules search: `read` and `view_index_metadata` (search, point in time, _field_caps). */
export const RULE_INDEX_PRIVILEGES = ['read', 'view_index_metadata'] as const;
/** kdw's own indices: alerts, execution records, checkpoints, leases. */
export const OWN_INDEX_PRIVILEGES = ['read', 'write', 'manage'] as const;

function describeRules(rules: readonly RunnableRule[]): string {
  const shown = rules.slice(0, 3).map((r) => `${r.ruleId} (${r.file})`);
  const more = rules.length > 3 ? ` and ${rules.length - 3} more` : '';
  return `searched by rule ${shown.join(', ')}${more}`;
}

/** The privileges the rules need on the indices they search (pure). */
export function rulePrivileges(rules: readonly RunnableRule[]): RequiredPrivileges['indices'] {
  const byPattern = new Map<string, RunnableRule[]>();
  for (const rule of rules) for (const p of rule.index) byPattern.set(p, [...(byPattern.get(p) ?? []), rule]);
  return [...byPattern].map(([pattern, users]) => ({
    names: [pattern],
    privileges: RULE_INDEX_PRIVILEGES,
    why: describeRules(users),
  }));
}

/** The privileges the worker needs for its configuration and its rules (pure). */
export function requiredPrivileges(
  config: Pick<WorkerConfig, 'alertsIndex' | 'executionsIndex' | 'checkpointsIndex' | 'leasesIndex'>,
  rules: readonly RunnableRule[],
): RequiredPrivileges {
  const own = (index: string, what: string) => ({
    names: [index],
    privileges: OWN_INDEX_PRIVILEGES,
    why: `kdw keeps its ${what} there`,
  });
  return {
    cluster: ['monitor', 'manage_index_templates'],
    indices: [
      own(config.alertsIndex, 'alerts'),
      own(config.executionsIndex, 'execution records'),
      own(config.checkpointsIndex, 'checkpoints'),
      own(config.leasesIndex, 'leases'),
      ...rulePrivileges(rules),
    ],
  };
}
