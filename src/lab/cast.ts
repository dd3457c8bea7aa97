import type { Caller } from './auditEvent';

/**
 * The cast of the lab cluster: version, nodes, and the user agents its clients really send (client-go's
 * `<binary>/<version> (<os>/<arch>) kubernetes/<commit>`, `$Format` for binaries built without version stamps).
 */
export const K8S_VERSION = 'v1.30.2';
const BUILD = '39683505b6';
const GO = `(linux/amd64) kubernetes/${BUILD}`;

export const NODES = [
  { name: 'ip-10-0-1-23.ec2.internal', ip: '10.0.1.23' },
  { name: 'ip-10-0-1-87.ec2.internal', ip: '10.0.1.87' },
  { name: 'ip-10-0-2-14.ec2.internal', ip: '10.0.2.14' },
  { name: 'ip-10-0-2-201.ec2.internal', ip: '10.0.2.201' },
  { name: 'ip-10-0-3-45.ec2.internal', ip: '10.0.3.45' },
  { name: 'ip-10-0-3-160.ec2.internal', ip: '10.0.3.160' },
] as const;

export const CONTROL_PLANE_IP = '10.0.0.10';
const SA_GROUPS = (ns: string): string[] => [
  'system:serviceaccounts',
  `system:serviceaccounts:${ns}`,
  'system:authenticated',
];

export function serviceAccount(namespace: string, name: string, userAgent: string, sourceIP: string): Caller {
  return {
    username: `system:serviceaccount:${namespace}:${name}`,
    groups: SA_GROUPS(namespace),
    userAgent,
    sourceIP,
  };
}

/** The user agents of the baseline, exported so tests and the lab can reason about "new" agents. */
export const AGENTS = {
  kubelet: `kubelet/${K8S_VERSION} ${GO}`,
  controller: (sa: string): string =>
    `kube-controller-manager/${K8S_VERSION} ${GO}/system:serviceaccount:kube-system:${sa}`,
  leaderElection: `kube-controller-manager/${K8S_VERSION} ${GO}/leader-election`,
  scheduler: `kube-scheduler/${K8S_VERSION} ${GO}/scheduler`,
  kubeProxy: `kube-proxy/${K8S_VERSION} ${GO}`,
  coredns: 'coredns/v0.0.0 (linux/amd64) kubernetes/$Format',
  metricsServer: 'metrics-server/v0.7.1 (linux/amd64) kubernetes/$Format',
  kubeStateMetrics: 'kube-state-metrics/v2.12.0 (linux/amd64) kubernetes/$Format',
  cilium: 'cilium-agent/v1.15.6 (linux/amd64) kubernetes/$Format',
  karpenter: 'karpenter',
  csiSecretsStore: 'csi-secrets-store/v1.4.4 (linux/amd64) kubernetes/$Format',
  prometheus: 'Prometheus/2.53.0',
  probe: 'kube-probe/1.30',
  elb: 'ELB-HealthChecker/2.0',
  kubectlMac: 'kubectl/v1.30.1 (darwin/arm64) kubernetes/6911225',
  kubectlLinux: `kubectl/${K8S_VERSION} ${GO}`,
  helm: 'Helm/3.15.2',
  velero: 'velero/v1.13.2 (linux/amd64) 5b7f5ba',
} as const;
