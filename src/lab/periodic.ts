import { resourceRequest } from './auditEvent';
import type { Actor } from './actors';
import { AGENTS, serviceAccount } from './cast';

/** Requests that come back on a schedule, so the baseline holds them whatever the rate. */
export interface Periodic {
  readonly name: string;
  readonly everyMs: number;
  readonly offsetMs: number;
  readonly call: Actor;
}

const HOUR = 3_600_000;

/**
 * Service accounts denied on a schedule with their usual agents: over 7 days they make these agents "seen"
 * for the new_terms rule, so that the same requests later stay silent.
 */
export const PERIODIC: readonly Periodic[] = [
  {
    name: 'velero backup probes volume snapshot classes',
    everyMs: HOUR,
    offsetMs: 7 * 60_000,
    call: (rng) => ({
      caller: serviceAccount('velero', 'velero', AGENTS.velero, `10.244.2.${rng.int(2, 250)}`),
      request: {
        ...resourceRequest('list', 'volumesnapshotclasses', { apiGroup: 'snapshot.storage.k8s.io' }),
        decision: 'forbid',
      },
    }),
  },
  {
    name: 'CI deploy reads cluster roles it may not read',
    everyMs: 3 * HOUR,
    offsetMs: 41 * 60_000,
    call: () => ({
      caller: serviceAccount('ci', 'github-deployer', AGENTS.helm, '198.51.100.10'),
      request: {
        ...resourceRequest('get', 'clusterroles', {
          name: 'shop-deployer',
          apiGroup: 'rbac.authorization.k8s.io',
        }),
        decision: 'forbid',
      },
    }),
  },
  ...(
    [
      ['monitoring', 'kube-state-metrics', AGENTS.kubeStateMetrics, 'certificatesigningrequests'],
      ['karpenter', 'karpenter', AGENTS.karpenter, 'nodeclaims'],
      ['kube-system', 'secrets-store-csi-driver', AGENTS.csiSecretsStore, 'secrets'],
      ['monitoring', 'prometheus-k8s', AGENTS.prometheus, 'nodes'],
      ['kube-system', 'cilium', AGENTS.cilium, 'ciliumidentities'],
    ] as const
  ).map(([ns, sa, agent, resource], i): Periodic => ({
    name: `${sa} denied ${resource}`,
    everyMs: 2 * HOUR,
    offsetMs: (13 + 11 * i) * 60_000,
    call: (rng) => ({
      caller: serviceAccount(ns, sa, agent, `10.244.${rng.int(0, 5)}.${rng.int(2, 250)}`),
      request: { ...resourceRequest('list', resource), decision: 'forbid' },
    }),
  })),
];
