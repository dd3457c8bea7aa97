import type { JsonObject } from '../audit/transform';
import type { Rng } from './random';

/** Who sends a request: the identity, its client and where it comes from. */
export interface Caller {
  readonly username: string;
  readonly groups: readonly string[];
  readonly userAgent: string;
  readonly sourceIP: string;
  readonly uid?: string;
}

/** What is requested and what the apiserver decided. */
export interface Request {
  readonly verb: string;
  readonly requestURI: string;
  /** absent for non-resource URLs (/healthz, /version) */
  readonly objectRef?: JsonObject;
  readonly decision: 'allow' | 'forbid';
  /** RBAC reason annotation; a default is derived from the decision */
  readonly reason?: string;
  /** HTTP status; default 200 (allow, 201 for create) or 403 (forbid) */
  readonly code?: number;
  /** with level RequestResponse (pod creations) */
  readonly requestObject?: JsonObject;
}

/** One request: who, and what. */
export interface Call {
  readonly caller: Caller;
  readonly request: Request;
}

/** RFC 3339 with microseconds, as the apiserver writes it. */
export function auditTime(ms: number, micros: number): string {
  const iso = new Date(ms).toISOString();
  return `${iso.slice(0, -1)}${String(micros).padStart(3, '0')}Z`;
}

/** A raw apiserver audit event (audit.k8s.io/v1, stage ResponseComplete). */
export function auditEvent(atMs: number, caller: Caller, request: Request, rng: Rng): JsonObject {
  const forbid = request.decision === 'forbid';
  const code = request.code ?? (forbid ? 403 : request.verb === 'create' ? 201 : 200);
  const latency = rng.int(1, 40);
  const responseStatus: JsonObject = forbid
    ? {
        metadata: {},
        status: 'Failure',
        message: `forbidden: User "${caller.username}" cannot ${request.verb}`,
        reason: 'Forbidden',
        code,
      }
    : { metadata: {}, code };
  const event: JsonObject = {
    kind: 'Event',
    apiVersion: 'audit.k8s.io/v1',
    level: request.requestObject === undefined ? 'Metadata' : 'RequestResponse',
    auditID: rng.uuid(),
    stage: 'ResponseComplete',
    requestURI: request.requestURI,
    verb: request.verb,
    user: {
      username: caller.username,
      ...(caller.uid === undefined ? {} : { uid: caller.uid }),
      groups: [...caller.groups],
    },
    sourceIPs: [caller.sourceIP],
    userAgent: caller.userAgent,
    ...(request.objectRef === undefined ? {} : { objectRef: request.objectRef }),
    responseStatus,
    ...(request.requestObject === undefined ? {} : { requestObject: request.requestObject }),
    requestReceivedTimestamp: auditTime(atMs, rng.int(0, 999)),
    stageTimestamp: auditTime(atMs + latency, rng.int(0, 999)),
    annotations: {
      'authorization.k8s.io/decision': request.decision,
      'authorization.k8s.io/reason': request.reason ?? (forbid ? '' : 'RBAC: allowed by ClusterRoleBinding'),
    },
  };
  return event;
}

/** objectRef and requestURI of a namespaced or cluster-scoped resource request. */
export function resourceRequest(
  verb: string,
  resource: string,
  options: {
    namespace?: string;
    name?: string;
    apiGroup?: string;
    apiVersion?: string;
    subresource?: string;
  } = {},
): { verb: string; requestURI: string; objectRef: JsonObject } {
  const version = options.apiVersion ?? 'v1';
  const prefix = options.apiGroup === undefined ? `/api/${version}` : `/apis/${options.apiGroup}/${version}`;
  const ns = options.namespace === undefined ? '' : `/namespaces/${options.namespace}`;
  const name = options.name === undefined ? '' : `/${options.name}`;
  const sub = options.subresource === undefined ? '' : `/${options.subresource}`;
  const query =
    verb === 'watch' ? '?allowWatchBookmarks=true&watch=true' : verb === 'list' ? '?limit=500' : '';
  return {
    verb,
    requestURI: `${prefix}${ns}/${resource}${name}${sub}${query}`,
    objectRef: {
      resource,
      ...(options.namespace === undefined ? {} : { namespace: options.namespace }),
      ...(options.name === undefined ? {} : { name: options.name }),
      ...(options.apiGroup === undefined ? {} : { apiGroup: options.apiGroup }),
      apiVersion: version,
      ...(options.subresource === undefined ? {} : { subresource: options.subresource }),
    },
  };
}

/** A pod creation request body, as logged at RequestResponse level. */
export function podSpec(
  name: string,
  namespace: string,
  serviceAccountName: string,
  image: string,
): JsonObject {
  return {
    kind: 'Pod',
    apiVersion: 'v1',
    metadata: { name, namespace },
    spec: {
      serviceAccountName,
      containers: [{ name: name.replace(/-[a-z0-9]{5}$/, ''), image }],
      restartPolicy: 'Always',
    },
  };
}
