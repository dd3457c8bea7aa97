import type { JsonObject } from '../audit/transform';
import { AGENTS, serviceAccount } from './cast';
import { auditEvent, podSpec, resourceRequest, type Call } from './auditEvent';
import type { Rng } from './random';

/** The seed rules of rules/, by rule_id. */
export const SEED_RULES = {
  deniedServiceAccount: '63c056a0-339a-11ed-a261-0242ac120002',
  controllerServiceAccount: '63c05204-339a-11ed-a261-0242ac120002',
  anonymousAuthorized: '63c057cc-339a-11ed-a261-0242ac120002',
} as const;

export type SeedRuleId = (typeof SEED_RULES)[keyof typeof SEED_RULES];

/**
 * One scripted piece of traffic and what detection must make of it: `alert` (the rule fires, once per
 * scenario) or `silent` (a near miss: close to the rule, yet nothing may fire). Every scenario names the rule
 * it is about; no scenario may fire any other rule either.
 */
export interface Scenario {
  readonly id: string;
  readonly ruleId: SeedRuleId;
  readonly expect: 'alert' | 'silent';
  readonly description: string;
  readonly calls: readonly Call[];
}

const POD_IP = '10.244.3.17';
const ATTACKER_IP = '45.137.21.9';
const allow = 'allow' as const;
const forbid = 'forbid' as const;
const anonymous = { username: 'system:anonymous', groups: ['system:unauthenticated'] };

const listSecrets = (namespace?: string) =>
  resourceRequest('list', 'secrets', namespace === undefined ? {} : { namespace });

const createPod = (namespace: string, serviceAccountName: string, name: string) => ({
  ...resourceRequest('create', 'pods', { namespace }),
  requestObject: podSpec(name, namespace, serviceAccountName, 'docker.io/library/alpine:3.20'),
});

export const SCENARIOS: readonly Scenario[] = [
  {
    id: 'sa-token-curl-lists-secrets',
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'alert',
    description: 'a stolen service-account token used with curl to list kube-system secrets, denied',
    calls: [
      {
        caller: serviceAccount('shop', 'frontend', 'curl/8.5.0', POD_IP),
        request: { ...listSecrets('kube-system'), decision: forbid },
      },
    ],
  },
  {
    id: 'sa-token-python-lists-secrets',
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'alert',
    description:
      'a service-account token used from python-requests to list the secrets of every namespace, denied',
    calls: [
      {
        caller: serviceAccount('payments', 'worker', 'python-requests/2.31.0', '10.244.1.52'),
        request: { ...listSecrets(), decision: forbid },
      },
    ],
  },
  {
    id: 'controller-sa-pod-in-kube-system',
    ruleId: SEED_RULES.controllerServiceAccount,
    expect: 'alert',
    description:
      'a pod created in kube-system that runs under the clusterrole-aggregation-controller account',
    calls: [
      {
        caller: {
          username: 'mallory@example.com',
          groups: ['developers', 'system:authenticated'],
          userAgent: AGENTS.kubectlMac,
          sourceIP: ATTACKER_IP,
        },
        request: {
          ...createPod('kube-system', 'clusterrole-aggregation-controller', 'debug-tools'),
          decision: allow,
        },
      },
    ],
  },
  {
    id: 'anonymous-lists-configmaps',
    ruleId: SEED_RULES.anonymousAuthorized,
    expect: 'alert',
    description:
      'an anonymous request allowed to list kube-system config maps (an RBAC binding to system:anonymous)',
    calls: [
      {
        caller: { ...anonymous, userAgent: 'curl/8.5.0', sourceIP: ATTACKER_IP },
        request: {
          ...resourceRequest('list', 'configmaps', { namespace: 'kube-system' }),
          decision: allow,
          reason:
            'RBAC: allowed by ClusterRoleBinding "debug-anonymous" of ClusterRole "view" to User "system:anonymous"',
        },
      },
    ],
  },
  {
    id: 'sa-denied-with-baseline-agent',
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'silent',
    description: 'the CI deploy account denied with Helm, the agent it has been denied with all week',
    calls: [
      {
        caller: serviceAccount('ci', 'github-deployer', AGENTS.helm, '198.51.100.10'),
        request: {
          ...resourceRequest('get', 'clusterroles', {
            name: 'search-deployer',
            apiGroup: 'rbac.authorization.k8s.io',
          }),
          decision: forbid,
        },
      },
    ],
  },
  ...(
    [
      ['monitoring', 'kube-state-metrics', AGENTS.kubeStateMetrics, 'excluded agent *kubernetes/$Format'],
      ['karpenter', 'karpenter', AGENTS.karpenter, 'excluded agent karpenter'],
      [
        'kube-system',
        'secrets-store-csi-driver',
        AGENTS.csiSecretsStore,
        'excluded agent csi-secrets-store*',
      ],
      ['monitoring', 'prometheus-k8s', AGENTS.prometheus, 'excluded agent Prometheus*'],
      ['kube-system', 'cilium', AGENTS.cilium, 'excluded agent cilium-agent*'],
    ] as const
  ).map(([ns, sa, agent, why]): Scenario => ({
    id: `sa-denied-${sa}`,
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'silent',
    description: `${sa} denied listing secrets (${why}, also seen denied in the baseline)`,
    calls: [
      {
        caller: serviceAccount(ns, sa, agent, '10.244.0.31'),
        request: { ...listSecrets(), decision: forbid },
      },
    ],
  })),
  {
    id: 'sa-curl-allowed',
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'silent',
    description: 'a service account using curl, allowed (the rule wants denied requests)',
    calls: [
      {
        caller: serviceAccount('shop', 'frontend', 'curl/8.5.0', POD_IP),
        request: {
          ...resourceRequest('get', 'configmaps', { namespace: 'shop', name: 'web-config' }),
          decision: allow,
        },
      },
    ],
  },
  {
    id: 'person-curl-denied',
    ruleId: SEED_RULES.deniedServiceAccount,
    expect: 'silent',
    description: 'a person (not a service account) denied with curl',
    calls: [
      {
        caller: {
          username: 'bob@example.com',
          groups: ['developers', 'system:authenticated'],
          userAgent: 'curl/8.5.0',
          sourceIP: '203.0.113.77',
        },
        request: { ...listSecrets('kube-system'), decision: forbid },
      },
    ],
  },
  {
    id: 'pod-in-kube-system-non-controller-sa',
    ruleId: SEED_RULES.controllerServiceAccount,
    expect: 'silent',
    description: 'a pod created in kube-system under the coredns account',
    calls: [
      {
        caller: {
          username: 'alice@example.com',
          groups: ['platform-admins', 'system:authenticated'],
          userAgent: AGENTS.kubectlMac,
          sourceIP: '203.0.113.24',
        },
        request: { ...createPod('kube-system', 'coredns', 'coredns-debug'), decision: allow },
      },
    ],
  },
  {
    id: 'controller-sa-pod-outside-kube-system',
    ruleId: SEED_RULES.controllerServiceAccount,
    expect: 'silent',
    description: 'a pod with a *-controller account in an application namespace',
    calls: [
      {
        caller: serviceAccount('ci', 'github-deployer', AGENTS.helm, '198.51.100.10'),
        request: { ...createPod('shop', 'ingress-controller', 'ingress-controller-5f7c9'), decision: allow },
      },
    ],
  },
  {
    id: 'controller-sa-pod-denied',
    ruleId: SEED_RULES.controllerServiceAccount,
    expect: 'silent',
    description: 'the same kube-system controller pod, denied',
    calls: [
      {
        caller: {
          username: 'bob@example.com',
          groups: ['developers', 'system:authenticated'],
          userAgent: AGENTS.kubectlMac,
          sourceIP: '203.0.113.77',
        },
        request: {
          ...createPod('kube-system', 'clusterrole-aggregation-controller', 'debug-tools'),
          decision: forbid,
        },
      },
    ],
  },
  {
    id: 'anonymous-healthz',
    ruleId: SEED_RULES.anonymousAuthorized,
    expect: 'silent',
    description: 'anonymous health checks /healthz and /readyz?verbose, allowed',
    calls: ['/healthz', '/readyz?verbose'].map((path) => ({
      caller: { ...anonymous, userAgent: AGENTS.probe, sourceIP: '10.0.0.5' },
      request: { verb: 'get', requestURI: path, decision: allow },
    })),
  },
  {
    id: 'anonymous-denied',
    ruleId: SEED_RULES.anonymousAuthorized,
    expect: 'silent',
    description: 'an anonymous request for secrets, denied',
    calls: [
      {
        caller: { ...anonymous, userAgent: 'curl/8.5.0', sourceIP: ATTACKER_IP },
        request: { ...listSecrets(), decision: forbid },
      },
    ],
  },
];

/** Spacing between scenario events. */
export const SCENARIO_SPACING_MS = 2000;

/** The raw events of the scenarios, the first at `atMs`, one every SCENARIO_SPACING_MS, in list order. */
export function scenarioEvents(
  atMs: number,
  rng: Rng,
  scenarios: readonly Scenario[] = SCENARIOS,
): { scenario: Scenario; event: JsonObject }[] {
  let t = atMs;
  return scenarios.flatMap((scenario) =>
    scenario.calls.map((call) => {
      const event = auditEvent(t, call.caller, call.request, rng);
      t += SCENARIO_SPACING_MS;
      return { scenario, event };
    }),
  );
}
