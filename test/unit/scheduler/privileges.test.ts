import { MissingPrivilegesError, missingPrivileges } from '../../../src/scheduler/privileges';
import { requiredPrivileges } from '../../../src/scheduler/requiredPrivileges';
import type { RunnableRule } from '../../../src/rules';

const config = {
  alertsIndex: 'kdw-alerts-default',
  executionsIndex: 'kdw-executions-default',
  checkpointsIndex: 'kdw-checkpoints-default',
  leasesIndex: 'kdw-leases-default',
};
const rule = (ruleId: string, index: string[]) =>
  ({ ruleId, index, file: `rules/${ruleId}.toml` }) as unknown as RunnableRule;

describe('privileges', () => {
  const required = requiredPrivileges(config, [
    rule('r1', ['logs-kubernetes.audit_logs-*']),
    rule('r2', ['other-*']),
  ]);

  it('needs the cluster privileges, kdw indices and the rules index patterns', () => {
    expect(required.cluster).toEqual(['monitor', 'manage_index_templates']);
    expect(required.indices.map((i) => [i.names, i.privileges])).toEqual([
      [['kdw-alerts-default'], ['read', 'write', 'manage']],
      [['kdw-executions-default'], ['read', 'write', 'manage']],
      [['kdw-checkpoints-default'], ['read', 'write', 'manage']],
      [['kdw-leases-default'], ['read', 'write', 'manage']],
      [['logs-kubernetes.audit_logs-*'], ['read', 'view_index_metadata']],
      [['other-*'], ['read', 'view_index_metadata']],
    ]);
  });

  it('names each missing privilege with its index and why', () => {
    const all = { read: true, write: true, manage: true, view_index_metadata: true };
    const missing = missingPrivileges(required, {
      cluster: { monitor: true, manage_index_templates: true },
      index: {
        'kdw-alerts-default': all,
        'kdw-executions-default': all,
        'kdw-checkpoints-default': all,
        'kdw-leases-default': all,
        'logs-kubernetes.audit_logs-*': all,
        'other-*': { read: false, view_index_metadata: false },
      },
    });
    const error = new MissingPrivilegesError('kdw', missing);
    expect(error.message).toBe(
      'user kdw lacks 2 privilege(s): privilege read on index other-* (searched by rule r2 (rules/r2.toml)); ' +
        'privilege view_index_metadata on index other-* (searched by rule r2 (rules/r2.toml))',
    );
    expect(error.context).toMatchObject({
      indices: ['other-*'],
      privileges: ['read', 'view_index_metadata'],
    });
  });
});
