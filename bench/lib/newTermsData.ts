/**
 * Benchmark data for new_terms: 7 days (or fewer) of Kubernetes audit events in the shape Elastic's
 * integration indexes (DESIGN.md §9), generated directly (no transform per event) and bulk-loaded as the
 * admin user into plain indices with the integration mapping (userAgent as keyword).
 *
 * User agents: HEAD_AGENTS common clients (kubelets, controllers, operators, kubectl, SDKs) with Zipf weights,
 * plus a long tail of rare agents (one-off scripts, custom builds). Every tail agent's first event is a denied
 * service-account request that the seed rule matches, so it can serve as a candidate "seen in history".
 */
import type { Client, estypes } from '@elastic/elasticsearch';
import { installAuditLogsTemplate } from '../../src/es/setup';
import { auditLogsMappings } from '../../src/es/templates/auditLogs';
import { createRng, type Rng } from '../../src/lab/random';

export const MIN = 60_000;
export const DAY = 86_400_000;
/** the `to` of the benchmark's rule window (fixed, so indices can be reused between runs) */
export const T = new Date('2026-11-20T12:00:00.000Z');
export const WINDOW = { from: new Date(T.getTime() - 6 * MIN), to: T };

export interface HistorySpec {
  readonly days: number;
  readonly docs: number;
  readonly tailAgents: number;
  readonly seed: number;
}

export const INDEX_PREFIX = 'logs-kubernetes.audit_logs-kdwbench';

export function historyIndexName(spec: HistorySpec): string {
  return `${INDEX_PREFIX}-h${spec.days}d-${Math.round(spec.docs / 1000)}k-t${Math.round(spec.tailAgents / 1000)}k-s${spec.seed}`;
}

export function candidatesIndexName(spec: HistorySpec, n: number): string {
  return `${historyIndexName(spec)}-cand${n}`;
}

const NS = ['shop', 'payments', 'search', 'default', 'monitoring', 'ingress', 'data', 'ml', 'ci', 'auth'];
const NODES = Array.from({ length: 12 }, (_, i) => `10.0.${1 + (i % 3)}.${20 + i * 7}`);
const RESOURCES = [
  ['pods', '', 'v1'],
  ['secrets', '', 'v1'],
  ['configmaps', '', 'v1'],
  ['services', '', 'v1'],
  ['endpoints', '', 'v1'],
  ['nodes', '', 'v1'],
  ['leases', 'coordination.k8s.io', 'v1'],
  ['deployments', 'apps', 'v1'],
  ['replicasets', 'apps', 'v1'],
  ['jobs', 'batch', 'v1'],
  ['clusterroles', 'rbac.authorization.k8s.io', 'v1'],
  ['customresourcedefinitions', 'apiextensions.k8s.io', 'v1'],
] as const;
const VERBS = ['get', 'list', 'watch', 'update', 'patch', 'create', 'delete'] as const;

/** A few hundred realistic common user agents, most frequent first. */
export function headAgents(count: number): string[] {
  const k8s = ['v1.28.9', 'v1.29.6', 'v1.30.2', 'v1.31.1'];
  const build = (v: string): string => `(linux/amd64) kubernetes/${(v.length * 7919).toString(16)}a1c3`;
  const out: string[] = [];
  for (const v of k8s) out.push(`kubelet/${v} ${build(v)}`);
  const controllers = [
    'replicaset-controller',
    'deployment-controller',
    'endpointslice-controller',
    'namespace-controller',
    'job-controller',
    'cronjob-controller',
    'daemon-set-controller',
    'node-controller',
    'generic-garbage-collector',
    'horizontal-pod-autoscaler',
    'statefulset-controller',
    'resourcequota-controller',
  ];
  for (const v of k8s.slice(2))
    for (const c of controllers)
      out.push(`kube-controller-manager/${v} ${build(v)}/system:serviceaccount:kube-system:${c}`);
  for (const v of k8s) out.push(`kube-scheduler/${v} ${build(v)}/scheduler`, `kube-proxy/${v} ${build(v)}`);
  const addOns: [string, string[]][] = [
    ['coredns', ['v0.0.0']],
    ['metrics-server', ['v0.7.1', 'v0.6.4']],
    ['kube-state-metrics', ['v2.12.0', 'v2.10.1']],
    ['cilium-agent', ['v1.15.6']],
    ['csi-secrets-store', ['v1.4.4']],
    ['cert-manager-controller', ['v1.14.5', 'v1.15.1']],
    ['external-dns', ['v0.14.2']],
    ['aws-load-balancer-controller', ['v2.8.1']],
    ['ebs-csi-driver', ['v1.31.0']],
    ['cluster-autoscaler', ['v1.30.1']],
    ['argocd-application-controller', ['v2.11.3', 'v2.10.9']],
    ['flux-source-controller', ['v1.3.0']],
    ['istiod', ['1.22.1']],
    ['linkerd-destination', ['stable-2.14.10']],
    ['datadog-cluster-agent', ['7.54.0']],
    ['fluent-bit', ['3.0.7']],
    ['elastic-agent', ['8.14.1', '8.15.0']],
    ['keda-operator', ['2.14.0']],
    ['ingress-nginx-controller', ['v1.10.1']],
    ['vault-agent-injector', ['1.4.2']],
  ];
  for (const [name, versions] of addOns)
    for (const v of versions) out.push(`${name}/${v} (linux/amd64) kubernetes/$Format`);
  out.push(
    'karpenter',
    'Prometheus/2.53.0',
    'Prometheus/2.51.2',
    'kube-probe/1.30',
    'ELB-HealthChecker/2.0',
    'velero/v1.13.2 (linux/amd64) 5b7f5ba',
    'OpenAPI-Generator/29.0.0/python',
    'dashboard/v2.7.0',
  );
  const clients = [
    ['kubectl', ['darwin/arm64', 'linux/amd64', 'windows/amd64']],
    ['Helm', ['3.15.2', '3.14.4', '3.13.3']],
    ['terraform-provider-kubernetes', ['2.31.0', '2.30.0']],
    ['python-requests', ['2.31.0', '2.32.3']],
    ['Go-http-client', ['1.1', '2.0']],
    ['k9s', ['0.32.5', '0.31.9']],
    ['Lens', ['2024.6.261']],
  ] as const;
  let i = 0;
  while (out.length < count) {
    const [name, variants] = clients[i % clients.length] ?? clients[0];
    const variant = variants[Math.floor(i / clients.length) % variants.length] ?? '';
    const minor = 20 + (Math.floor(i / 21) % 12);
    out.push(
      name === 'kubectl'
        ? `kubectl/v1.${minor}.${i % 9} (${variant}) kubernetes/${(i * 2654435761).toString(16).slice(-7)}`
        : `${name}/${variant}.${Math.floor(i / 7)} app-${NS[i % NS.length] ?? 'x'}-${i}`,
    );
    i++;
  }
  return out.slice(0, count);
}

/** The i-th rare agent of the long tail: never matches the seed rule's exclusions. */
export function tailAgent(i: number): string {
  const kinds = [
    'custom-operator',
    'backup-job',
    'py-k8s-script',
    'node-fetch',
    'curl',
    'okhttp',
    'rust-kube',
  ];
  const kind = kinds[i % kinds.length] ?? 'x';
  return `${kind}/${1 + (i % 5)}.${i % 13}.${i % 7} (linux/amd64) build-${(i * 2246822519 + 12345).toString(36)}-${i}`;
}

/** A candidate that never occurs in the history. */
export function newAgent(n: number, i: number): string {
  return `unseen-client-n${n}/${i % 10}.${i % 17} (linux/arm64) probe-${i}`;
}

export interface DocInput {
  readonly ms: number;
  readonly userAgent: string;
  readonly serviceAccount: boolean;
  readonly denied: boolean;
  /** no event.ingested (the rule falls back to @timestamp) */
  readonly noIngested?: boolean;
  readonly seq: number;
}

/** One audit event in the integration's indexed shape. */
export function auditDoc(rng: Rng, d: DocInput): Record<string, unknown> {
  const ts = new Date(d.ms).toISOString();
  const ns = NS[d.seq % NS.length] ?? 'default';
  const [resource, group, version] = RESOURCES[d.seq % RESOURCES.length] ?? RESOURCES[0];
  const verb = VERBS[(d.seq >>> 3) % VERBS.length] ?? 'get';
  const ip = NODES[d.seq % NODES.length] ?? '10.0.0.1';
  const username = d.serviceAccount
    ? `system:serviceaccount:${ns}:sa-${d.seq % 97}`
    : d.seq % 3 === 0
      ? `system:node:ip-${ip.replaceAll('.', '-')}.ec2.internal`
      : `user${d.seq % 40}@example.com`;
  const groups = d.serviceAccount
    ? ['system:serviceaccounts', `system:serviceaccounts:${ns}`, 'system:authenticated']
    : ['system:authenticated'];
  const apiPath = group === '' ? `/api/${version}` : `/apis/${group}/${version}`;
  const uri = `${apiPath}/namespaces/${ns}/${resource}${verb === 'list' || verb === 'watch' ? '' : `/obj-${d.seq % 500}`}`;
  const event: Record<string, unknown> = {
    kind: 'event',
    dataset: 'kubernetes.audit_logs',
    module: 'kubernetes',
    action: verb,
    outcome: d.denied ? 'failure' : 'success',
  };
  if (d.noIngested !== true)
    event['ingested'] = new Date(d.ms + 300 + Math.floor(rng.next() * 2500)).toISOString();
  return {
    '@timestamp': ts,
    event,
    data_stream: { type: 'logs', dataset: 'kubernetes.audit_logs', namespace: 'default' },
    ecs: { version: '8.11.0' },
    user: { name: username },
    user_agent: { original: d.userAgent },
    source: { ip },
    client: { ip },
    kubernetes: {
      audit: {
        kind: 'Event',
        apiVersion: 'audit.k8s.io/v1',
        level: 'Metadata',
        auditID: rng.uuid(),
        stage: 'ResponseComplete',
        requestURI: uri,
        verb,
        user: { username, groups },
        sourceIPs: [ip],
        userAgent: d.userAgent,
        objectRef: {
          resource,
          namespace: ns,
          apiVersion: version,
          ...(group === '' ? {} : { apiGroup: group }),
        },
        responseStatus: d.denied
          ? { code: 403, status: 'Failure', reason: 'Forbidden', metadata: {} }
          : { code: 200, metadata: {} },
        requestReceivedTimestamp: ts,
        stageTimestamp: new Date(d.ms + 4).toISOString(),
        annotations: {
          'authorization_k8s_io/decision': d.denied ? 'forbid' : 'allow',
          'authorization_k8s_io/reason': d.denied ? '' : 'RBAC: allowed by ClusterRoleBinding',
        },
      },
    },
  };
}

/** Zipf weights (1 / rank^s) as a cumulative table for sampling. */
function zipfCdf(n: number, s: number): Float64Array {
  const cdf = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) {
    total += 1 / Math.pow(i + 1, s);
    cdf[i] = total;
  }
  for (let i = 0; i < n; i++) cdf[i] = (cdf[i] ?? 0) / total;
  return cdf;
}

function sample(cdf: Float64Array, r: number): number {
  let lo = 0;
  let hi = cdf.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((cdf[mid] ?? 1) < r) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

export const HEAD_AGENTS = 300;
/** share of events sent by service accounts, and of those the share denied */
const SA_SHARE = 0.7;
const SA_DENIED = 0.12;
/** share of events without event.ingested (fallback to @timestamp) */
const NO_INGESTED = 0.002;

/**
 * The history's documents in batches: head traffic uniform over [T − days, T] (so the rule window has its
 * own common candidates too), and the tail agents' events over [T − days, from − 4 min].
 */
export function* historyDocs(spec: HistorySpec, batchSize: number): Generator<Record<string, unknown>[]> {
  const rng = createRng(spec.seed);
  const head = headAgents(HEAD_AGENTS);
  const cdf = zipfCdf(head.length, 1.1);
  const start = T.getTime() - spec.days * DAY;
  const tailEnd = WINDOW.from.getTime() - 4 * MIN;
  // each tail agent: one denied service-account request, then a few more events of any kind
  const tailExtra = Math.max(0, Math.round(spec.docs * 0.1) - spec.tailAgents);
  const tailDocs = spec.tailAgents + tailExtra;
  const headDocs = spec.docs - tailDocs;
  let batch: Record<string, unknown>[] = [];
  let seq = 0;
  const push = (d: Omit<DocInput, 'seq' | 'noIngested'>): Record<string, unknown>[] | undefined => {
    batch.push(auditDoc(rng, { ...d, seq: seq++, noIngested: rng.next() < NO_INGESTED }));
    if (batch.length < batchSize) return undefined;
    const full = batch;
    batch = [];
    return full;
  };
  for (let i = 0; i < spec.tailAgents; i++) {
    const full = push({
      ms: start + Math.floor(rng.next() * (tailEnd - start)),
      userAgent: tailAgent(i),
      serviceAccount: true,
      denied: true,
    });
    if (full !== undefined) yield full;
  }
  for (let i = 0; i < tailExtra; i++) {
    const sa = rng.next() < SA_SHARE;
    const full = push({
      ms: start + Math.floor(rng.next() * (tailEnd - start)),
      userAgent: tailAgent(Math.floor(Math.pow(rng.next(), 2) * spec.tailAgents)),
      serviceAccount: sa,
      denied: sa && rng.next() < SA_DENIED,
    });
    if (full !== undefined) yield full;
  }
  for (let i = 0; i < headDocs; i++) {
    const sa = rng.next() < SA_SHARE;
    const full = push({
      ms: start + Math.floor(rng.next() * (T.getTime() - start)),
      userAgent: head[sample(cdf, rng.next())] ?? 'kubelet',
      serviceAccount: sa,
      denied: sa && rng.next() < SA_DENIED,
    });
    if (full !== undefined) yield full;
  }
  if (batch.length > 0) yield batch;
}

/**
 * The N candidate terms of the rule window: N/2 tail agents (seen in the history) and N/2 agents never seen,
 * each in one or two denied service-account requests in [from, to].
 */
export function* candidateDocs(
  n: number,
  seed: number,
  batchSize: number,
): Generator<Record<string, unknown>[]> {
  const rng = createRng(seed * 1000 + n);
  const from = WINDOW.from.getTime();
  // event.ingested lags @timestamp by up to 3 s: keep every candidate inside [from, to] on both clocks
  const span = WINDOW.to.getTime() - 5_000 - from;
  let batch: Record<string, unknown>[] = [];
  let seq = 0;
  for (let i = 0; i < n; i++) {
    const agent = i % 2 === 0 ? tailAgent(i / 2) : newAgent(n, (i - 1) / 2);
    const copies = i % 3 === 0 ? 2 : 1;
    for (let c = 0; c < copies; c++) {
      batch.push(
        auditDoc(rng, {
          ms: from + 1_000 + Math.floor(rng.next() * (span - 1_000)),
          userAgent: agent,
          serviceAccount: true,
          denied: true,
          noIngested: rng.next() < NO_INGESTED,
          seq: seq++,
        }),
      );
      if (batch.length >= batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

const META_KEY = 'kdwbench';

/** The stats of a completed load of this content, or undefined (no index, or an unfinished load). */
export async function loadedStats(
  admin: Client,
  index: string,
  docs?: number,
): Promise<LoadStats | undefined> {
  const exists = await admin.indices.exists({ index });
  if (!exists) return undefined;
  const mapping = await admin.indices.getMapping({ index });
  const meta = mapping[index]?.mappings._meta;
  const loaded = meta?.[META_KEY] as { complete?: boolean; docs?: number; seconds?: number } | undefined;
  if (loaded?.complete !== true) return undefined;
  if (docs !== undefined && loaded.docs !== docs) return undefined;
  return {
    index,
    docs: loaded.docs ?? 0,
    seconds: loaded.seconds ?? 0,
    reused: true,
    storeBytes: await storeBytes(admin, index),
  };
}

export interface LoadStats {
  readonly index: string;
  readonly docs: number;
  readonly seconds: number;
  readonly reused: boolean;
  readonly storeBytes: number;
}

/**
 * Creates `index` (integration mapping, userAgent keyword, 1 shard, 0 replicas, refresh off, request cache
 * off so repeated measurements do real work) and bulk-loads the batches with `concurrency` requests in
 * flight; then refreshes, restores the refresh interval and marks the load complete in the mapping's _meta.
 */
export async function loadIndex(
  admin: Client,
  index: string,
  batches: Iterable<Record<string, unknown>[]>,
  concurrency: number,
  log: (line: string) => void,
): Promise<LoadStats> {
  const started = Date.now();
  // a plain-index template above the integration's data-stream template (priority 200), which the lab
  // installs for logs-kubernetes.audit_logs-*: without it, creating a plain index there is refused
  await installAuditLogsTemplate(admin, {
    name: 'kdwbench',
    indexPatterns: ['logs-kubernetes.audit_logs-kdwbench-*'],
    priority: 300,
    dataStream: false,
    userAgent: 'keyword',
  });
  await admin.indices.delete({ index }, { ignore: [404] });
  const mappings: estypes.MappingTypeMapping = {
    ...auditLogsMappings('keyword'),
    _meta: { [META_KEY]: { complete: false } },
  };
  await admin.indices.create({
    index,
    settings: {
      number_of_shards: 1,
      number_of_replicas: 0,
      refresh_interval: '-1',
      'index.requests.cache.enable': false,
      'index.translog.durability': 'async',
      'index.translog.flush_threshold_size': '1gb',
    },
    mappings,
  });
  let docs = 0;
  let lastLog = Date.now();
  const inFlight = new Set<Promise<void>>();
  const send = async (batch: Record<string, unknown>[]): Promise<void> => {
    const body = batch.map((d) => `{"create":{}}\n${JSON.stringify(d)}\n`).join('');
    const res = await admin.transport.request<estypes.BulkResponse>(
      { method: 'POST', path: `/${encodeURIComponent(index)}/_bulk`, bulkBody: body },
      { requestTimeout: 300_000 },
    );
    if (res.errors) {
      const first = res.items.find((i) => i.create?.error !== undefined)?.create?.error;
      throw new Error(`bulk into ${index} failed: ${JSON.stringify(first)}`);
    }
    docs += batch.length;
    if (Date.now() - lastLog > 10_000) {
      lastLog = Date.now();
      log(`  ${index}: ${docs} docs, ${Math.round(docs / ((Date.now() - started) / 1000))} docs/s`);
    }
  };
  for (const batch of batches) {
    if (inFlight.size >= concurrency) await Promise.race(inFlight);
    const p: Promise<void> = send(batch).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  await admin.indices.putSettings({ index, settings: { refresh_interval: '1s' } });
  await admin.indices.refresh({ index });
  await admin.indices.flush({ index });
  const seconds = (Date.now() - started) / 1000;
  await admin.indices.putMapping({ index, _meta: { [META_KEY]: { complete: true, docs, seconds } } });
  return {
    index,
    docs,
    seconds,
    reused: false,
    storeBytes: await storeBytes(admin, index),
  };
}

export async function storeBytes(admin: Client, index: string): Promise<number> {
  const stats = await admin.indices.stats({ index, metric: ['store'] });
  return stats._all.primaries?.store?.size_in_bytes ?? 0;
}

export async function docCount(admin: Client, index: string): Promise<number> {
  return (await admin.count({ index })).count;
}
