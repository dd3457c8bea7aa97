import { AGENTS, CONTROL_PLANE_IP, NODES, serviceAccount } from './cast';
import { podSpec, resourceRequest, type Call, type Caller, type Request } from './auditEvent';
import type { Rng } from './random';

/**
 * Who talks to a typical managed cluster's apiserver, with the user agents they really send: kubelets and
 * the control plane, the controllers of kube-controller-manager (each with its own service account), the
 * usual add-ons, anonymous health checks, people with kubectl and a CI deploy account.
 */

const CONTROLLERS = [
  ['replicaset-controller', 'replicasets', 'apps'],
  ['deployment-controller', 'deployments', 'apps'],
  ['endpointslice-controller', 'endpointslices', 'discovery.k8s.io'],
  ['namespace-controller', 'namespaces', undefined],
  ['job-controller', 'jobs', 'batch'],
  ['cronjob-controller', 'cronjobs', 'batch'],
  ['daemon-set-controller', 'daemonsets', 'apps'],
  ['node-controller', 'nodes', undefined],
  ['generic-garbage-collector', 'replicasets', 'apps'],
  ['horizontal-pod-autoscaler', 'horizontalpodautoscalers', 'autoscaling'],
] as const;

const APP_NAMESPACES = ['shop', 'payments', 'search', 'default'] as const;
const ALLOWED = 'RBAC: allowed by ClusterRoleBinding';

export type Actor = (rng: Rng) => Call;

const kubelet: Actor = (rng) => {
  const node = rng.pick(NODES);
  const caller: Caller = {
    username: `system:node:${node.name}`,
    groups: ['system:nodes', 'system:authenticated'],
    userAgent: AGENTS.kubelet,
    sourceIP: node.ip,
  };
  // only the chosen request is built: this runs for a third of a week's traffic
  const lease = (): Request => ({
    ...resourceRequest('update', 'leases', {
      namespace: 'kube-node-lease',
      name: node.name,
      apiGroup: 'coordination.k8s.io',
    }),
    decision: 'allow',
  });
  const status = (): Request => ({
    ...resourceRequest('patch', 'nodes', { name: node.name, subresource: 'status' }),
    decision: 'allow',
  });
  const rootCa = (): Request => ({
    ...resourceRequest('get', 'configmaps', {
      namespace: rng.pick(APP_NAMESPACES),
      name: 'kube-root-ca.crt',
    }),
    decision: 'allow',
  });
  const pods = (): Request => ({ ...resourceRequest('watch', 'pods'), decision: 'allow' });
  // the node authorizer allows a kubelet the secrets of its pods, with an empty RBAC reason
  const secret = (): Request => ({
    ...resourceRequest('get', 'secrets', { namespace: rng.pick(APP_NAMESPACES), name: 'app-tls' }),
    decision: 'allow',
    reason: '',
  });
  const request = rng.weighted<() => Request>([
    [lease, 6],
    [status, 2],
    [rootCa, 1],
    [pods, 1],
    [secret, 1],
  ])();
  return { caller, request };
};

const controller: Actor = (rng) => {
  const [sa, resource, apiGroup] = rng.pick(CONTROLLERS);
  const caller = serviceAccount('kube-system', sa, AGENTS.controller(sa), CONTROL_PLANE_IP);
  const namespace =
    resource === 'namespaces' || resource === 'nodes'
      ? undefined
      : rng.pick([...APP_NAMESPACES, 'kube-system']);
  const group = apiGroup === undefined ? {} : { apiGroup };
  if (sa === 'replicaset-controller' && rng.next() < 0.15) {
    // pods of replica sets, kube-system ones included, run under their own (non-controller) accounts
    const ns = rng.pick(['kube-system', 'shop', 'payments'] as const);
    const [app, account, image] =
      ns === 'kube-system'
        ? rng.pick([
            ['coredns', 'coredns', 'registry.k8s.io/coredns/coredns:v1.11.1'],
            ['metrics-server', 'metrics-server', 'registry.k8s.io/metrics-server/metrics-server:v0.7.1'],
          ] as const)
        : rng.pick([
            ['web', 'frontend', 'ghcr.io/acme/web:2.4.1'],
            ['worker', 'worker', 'ghcr.io/acme/worker:1.9.0'],
          ] as const);
    const name = `${app}-7d9f8b6c5-${rng.uuid().slice(0, 5)}`;
    return {
      caller,
      request: {
        ...resourceRequest('create', 'pods', { namespace: ns }),
        decision: 'allow',
        reason: ALLOWED,
        requestObject: podSpec(name, ns, account, image),
      },
    };
  }
  const verb = rng.weighted([
    ['watch', 2],
    ['list', 1],
    ['get', 3],
    ['update', 3],
    ['patch', 1],
  ] as const);
  return {
    caller,
    request: {
      ...resourceRequest(verb, resource, { ...(namespace === undefined ? {} : { namespace }), ...group }),
      decision: 'allow',
      reason: ALLOWED,
    },
  };
};

const controlPlane: Actor = (rng) => {
  if (rng.next() < 0.5) {
    return {
      caller: {
        username: 'system:kube-controller-manager',
        groups: ['system:authenticated'],
        userAgent: AGENTS.leaderElection,
        sourceIP: CONTROL_PLANE_IP,
      },
      request: {
        ...resourceRequest(rng.pick(['get', 'update']), 'leases', {
          namespace: 'kube-system',
          name: 'kube-controller-manager',
          apiGroup: 'coordination.k8s.io',
        }),
        decision: 'allow',
        reason: ALLOWED,
      },
    };
  }
  const caller: Caller = {
    username: 'system:kube-scheduler',
    groups: ['system:authenticated'],
    userAgent: AGENTS.scheduler,
    sourceIP: CONTROL_PLANE_IP,
  };
  return rng.next() < 0.5
    ? {
        caller,
        request: {
          ...resourceRequest('create', 'pods', {
            namespace: rng.pick(APP_NAMESPACES),
            name: `web-7d9f8b6c5-${rng.uuid().slice(0, 5)}`,
            subresource: 'binding',
          }),
          decision: 'allow',
          reason: ALLOWED,
        },
      }
    : {
        caller,
        request: {
          ...resourceRequest('update', 'leases', {
            namespace: 'kube-system',
            name: 'kube-scheduler',
            apiGroup: 'coordination.k8s.io',
          }),
          decision: 'allow',
          reason: ALLOWED,
        },
      };
};

const nodeIp = (rng: Rng): string => rng.pick(NODES).ip;

/** Add-ons that only read, now and then denied something (the rule excludes or has seen their agents). */
const addOn =
  (
    ns: string,
    sa: string,
    agent: string,
    reads: readonly (readonly [string, string | undefined])[],
    forbidden: number,
  ): Actor =>
  (rng) => {
    const caller = serviceAccount(
      ns,
      sa,
      agent,
      rng.next() < 0.5 ? `10.244.${rng.int(0, 5)}.${rng.int(2, 250)}` : nodeIp(rng),
    );
    const [resource, apiGroup] = rng.pick(reads);
    const decision = rng.next() < forbidden ? 'forbid' : 'allow';
    const verb = rng.pick(['list', 'watch', 'get'] as const);
    return {
      caller,
      request: {
        ...resourceRequest(verb, resource, apiGroup === undefined ? {} : { apiGroup }),
        decision,
        reason: decision === 'allow' ? ALLOWED : '',
      },
    };
  };

const healthCheck: Actor = (rng) => {
  const path = rng.weighted([
    ['/healthz', 3],
    ['/livez', 3],
    ['/readyz', 3],
    ['/readyz?verbose', 1],
  ] as const);
  return {
    caller: {
      username: 'system:anonymous',
      groups: ['system:unauthenticated'],
      userAgent: rng.pick([AGENTS.probe, AGENTS.elb]),
      sourceIP: rng.pick(['10.0.0.5', '10.0.0.6', '10.0.0.7']),
    },
    request: {
      verb: 'get',
      requestURI: path,
      decision: 'allow',
      reason:
        'RBAC: allowed by ClusterRoleBinding "system:public-info-viewer" of ClusterRole "system:public-info-viewer" to Group "system:unauthenticated"',
    },
  };
};

const PEOPLE = [
  {
    username: 'alice@example.com',
    groups: ['platform-admins', 'system:authenticated'],
    ip: '203.0.113.24',
    agent: AGENTS.kubectlMac,
  },
  {
    username: 'bob@example.com',
    groups: ['developers', 'system:authenticated'],
    ip: '203.0.113.77',
    agent: AGENTS.kubectlMac,
  },
] as const;

const person: Actor = (rng) => {
  const p = rng.pick(PEOPLE);
  const caller: Caller = { username: p.username, groups: p.groups, userAgent: p.agent, sourceIP: p.ip };
  const ns = rng.pick(APP_NAMESPACES);
  const resource = rng.pick(['pods', 'deployments', 'services', 'events'] as const);
  const group = resource === 'deployments' ? { apiGroup: 'apps' } : {};
  // developers may not read kube-system: people are denied sometimes, which no rule cares about
  const denied = p.username.startsWith('bob') && rng.next() < 0.2;
  return {
    caller,
    request: {
      ...resourceRequest(rng.pick(['get', 'list'] as const), resource, {
        namespace: denied ? 'kube-system' : ns,
        ...group,
      }),
      decision: denied ? 'forbid' : 'allow',
    },
  };
};

const ciDeploy: Actor = (rng) => {
  const ns = rng.pick(['shop', 'payments', 'search'] as const);
  const caller = serviceAccount(
    'ci',
    'github-deployer',
    rng.next() < 0.5 ? AGENTS.helm : AGENTS.kubectlLinux,
    '198.51.100.10',
  );
  const verb = rng.pick(['get', 'patch', 'list'] as const);
  return {
    caller,
    request: {
      ...resourceRequest(verb, rng.pick(['deployments', 'services', 'configmaps'] as const), {
        namespace: ns,
        ...(verb === 'patch' ? { apiGroup: 'apps' } : {}),
      }),
      decision: 'allow',
      reason: ALLOWED,
    },
  };
};

/** The random part of the baseline, by share of requests. */
export const BASELINE_ACTORS: readonly (readonly [Actor, number])[] = [
  [kubelet, 30],
  [controller, 22],
  [controlPlane, 10],
  [
    addOn(
      'kube-system',
      'kube-proxy',
      AGENTS.kubeProxy,
      [
        ['endpointslices', 'discovery.k8s.io'],
        ['services', undefined],
      ],
      0,
    ),
    4,
  ],
  [
    addOn(
      'kube-system',
      'coredns',
      AGENTS.coredns,
      [
        ['endpointslices', 'discovery.k8s.io'],
        ['services', undefined],
        ['namespaces', undefined],
      ],
      0,
    ),
    4,
  ],
  [
    addOn(
      'kube-system',
      'metrics-server',
      AGENTS.metricsServer,
      [
        ['nodes', undefined],
        ['pods', undefined],
      ],
      0,
    ),
    2,
  ],
  [
    addOn(
      'kube-system',
      'cilium',
      AGENTS.cilium,
      [
        ['ciliumendpoints', 'cilium.io'],
        ['ciliumnodes', 'cilium.io'],
        ['pods', undefined],
      ],
      0.01,
    ),
    5,
  ],
  [
    addOn(
      'karpenter',
      'karpenter',
      AGENTS.karpenter,
      [
        ['nodeclaims', 'karpenter.sh'],
        ['nodepools', 'karpenter.sh'],
        ['nodes', undefined],
      ],
      0.01,
    ),
    2,
  ],
  [
    addOn(
      'kube-system',
      'secrets-store-csi-driver',
      AGENTS.csiSecretsStore,
      [
        ['secretproviderclasses', 'secrets-store.csi.x-k8s.io'],
        ['secrets', undefined],
      ],
      0.02,
    ),
    1,
  ],
  [
    addOn(
      'monitoring',
      'prometheus-k8s',
      AGENTS.prometheus,
      [
        ['endpoints', undefined],
        ['pods', undefined],
        ['services', undefined],
      ],
      0.01,
    ),
    3,
  ],
  [
    addOn(
      'monitoring',
      'kube-state-metrics',
      AGENTS.kubeStateMetrics,
      [
        ['pods', undefined],
        ['deployments', 'apps'],
        ['certificatesigningrequests', 'certificates.k8s.io'],
      ],
      0.02,
    ),
    2,
  ],
  [healthCheck, 10],
  [person, 2],
  [ciDeploy, 2],
];
