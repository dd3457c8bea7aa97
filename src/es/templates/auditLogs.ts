import type { estypes } from '@elastic/elasticsearch';
import { substitute } from './substitutions';

/**
 * The mapping of Elastic's Kubernetes integration for audit logs (data stream logs-kubernetes.audit_logs-*),
 * as DESIGN.md §9 describes it, so that rules behave in the lab and the tests as on a real stack.
 * Types this Elasticsearch build lacks are replaced through ./substitutions (the only place that does so).
 */
export type UserAgentMapping = 'text' | 'keyword';

export const AUDIT_LOGS_TEMPLATE_NAME = 'logs-kubernetes.audit_logs';
export const AUDIT_LOGS_INDEX_PATTERN = 'logs-kubernetes.audit_logs-*';

type Properties = Record<string, estypes.MappingProperty>;

const keyword: estypes.MappingProperty = { type: 'keyword', ignore_above: 1024 };
const text: estypes.MappingProperty = { type: 'text' };
const bool: estypes.MappingProperty = { type: 'boolean' };
const date: estypes.MappingProperty = { type: 'date' };
const ip: estypes.MappingProperty = { type: 'ip' };
const keywordWithText: estypes.MappingProperty = {
  type: 'keyword',
  ignore_above: 1024,
  fields: { text: { type: substitute('match_only_text') } },
};
const constant: estypes.MappingProperty = { type: substitute('constant_keyword') };

function object(
  properties: Properties,
  extra: Partial<estypes.MappingObjectProperty> = {},
): estypes.MappingProperty {
  return { type: 'object', ...extra, properties };
}

function keywords(...names: string[]): Properties {
  return Object.fromEntries(names.map((n) => [n, keyword]));
}

/** Declared sub-fields of requestObject/responseObject; everything else stays in _source only. */
function k8sObject(kind: 'request' | 'response'): estypes.MappingProperty {
  const containers = object({
    image: keyword,
    name: keyword,
    securityContext: object({
      privileged: bool,
      allowPrivilegeEscalation: bool,
      runAsUser: { type: 'long' },
    }),
    volumeMounts: object({ mountPath: text }),
  });
  const spec = object({
    serviceAccountName: keyword,
    serviceAccount: keyword,
    hostNetwork: bool,
    hostPID: bool,
    hostIPC: bool,
    restartPolicy: keyword,
    type: keyword,
    containers,
    volumes: object({ hostPath: object({ path: text }) }),
  });
  const properties: Properties = {
    kind: keyword,
    apiVersion: keyword,
    spec,
    rules: {
      type: 'nested',
      properties: keywords('apiGroups', 'resources', 'verbs', 'resourceNames', 'nonResourceURLs'),
    },
    roleRef: object(keywords('apiGroup', 'kind', 'name')),
    subjects: object(keywords('kind', 'name', 'namespace')),
  };
  if (kind === 'response') properties['status'] = keyword;
  return object(properties, { dynamic: false });
}

export function auditLogsMappings(userAgent: UserAgentMapping = 'text'): estypes.MappingTypeMapping {
  const user = object({
    username: keyword,
    uid: keyword,
    groups: keyword,
    extra: { type: 'object', dynamic: true },
  });
  return {
    // strings that nothing declares become keyword, as in Elastic's integrations
    dynamic_templates: [
      {
        strings_as_keyword: {
          match_mapping_type: 'string',
          mapping: { type: 'keyword', ignore_above: 1024 },
        },
      },
    ],
    properties: {
      '@timestamp': date,
      message: { type: substitute('match_only_text') },
      tags: keyword,
      labels: { type: 'object', dynamic: true },
      ecs: object({ version: keyword }),
      data_stream: object({ type: constant, dataset: constant, namespace: constant }),
      event: object({
        ingested: date,
        created: date,
        kind: keyword,
        category: keyword,
        type: keyword,
        action: keyword,
        outcome: keyword,
        dataset: constant,
        module: constant,
        agent_id_status: keyword,
        original: { type: 'keyword', index: false, doc_values: false },
      }),
      user: object({ name: keywordWithText, id: keyword }),
      user_agent: object({ original: keywordWithText }),
      source: object({ ip, address: keyword }),
      client: object({ ip }),
      related: object({ ip, user: keyword }),
      host: object({ name: keyword, hostname: keyword }),
      agent: object(keywords('name', 'type', 'id', 'ephemeral_id', 'version')),
      container: object({ image: object({ name: keyword }) }),
      orchestrator: object({
        api_version: keyword,
        namespace: keyword,
        type: keyword,
        cluster: object(keywords('id', 'name')),
        resource: object(keywords('name', 'type')),
      }),
      error: object({ message: { type: substitute('match_only_text') } }),
      kubernetes: object({
        audit: object({
          ...keywords('apiVersion', 'kind', 'level', 'auditID', 'stage', 'requestURI', 'verb'),
          user,
          impersonatedUser: object({
            username: keyword,
            uid: keyword,
            groups: keyword,
            extra: { type: 'object', dynamic: true },
          }),
          sourceIPs: text,
          userAgent: userAgent === 'text' ? text : keyword,
          objectRef: object(
            keywords(
              'resource',
              'namespace',
              'name',
              'uid',
              'apiGroup',
              'apiVersion',
              'resourceVersion',
              'subresource',
            ),
          ),
          responseStatus: object({
            code: { type: 'integer' },
            status: keyword,
            reason: keyword,
            message: text,
          }),
          requestReceivedTimestamp: date,
          stageTimestamp: date,
          annotations: object(
            { 'authorization_k8s_io/decision': keyword, 'authorization_k8s_io/reason': text },
            { dynamic: true },
          ),
          requestObject: k8sObject('request'),
          responseObject: k8sObject('response'),
        }),
      }),
    },
  };
}

export interface AuditLogsTemplateOptions {
  /** default logs-kubernetes.audit_logs-*; tests use narrower patterns of their own */
  readonly indexPatterns?: readonly string[];
  readonly userAgent?: UserAgentMapping;
  /** Elastic's integration templates use 200; a narrower test template must be higher */
  readonly priority?: number;
  /** 0 on a single node (the lab, the tests), or the cluster stays yellow */
  readonly replicas?: number;
  /**
   * true (default) as in the integration. Tests use plain indices: the integ-test build of Elasticsearch
   * creates data streams but has no API to delete them (DESIGN.md §10 addendum in README).
   */
  readonly dataStream?: boolean;
}

export function auditLogsIndexTemplate(
  options: AuditLogsTemplateOptions = {},
): estypes.IndicesPutIndexTemplateRequest {
  return {
    name: AUDIT_LOGS_TEMPLATE_NAME,
    index_patterns: [...(options.indexPatterns ?? [AUDIT_LOGS_INDEX_PATTERN])],
    ...(options.dataStream === false ? {} : { data_stream: {} }),
    priority: options.priority ?? 200,
    template: {
      settings: { number_of_shards: 1, number_of_replicas: options.replicas ?? 0 },
      mappings: auditLogsMappings(options.userAgent ?? 'text'),
    },
    _meta: {
      managed_by: 'kdw',
      description: "Elastic Kubernetes integration audit_logs mapping (kdw's lab and tests)",
    },
  };
}
