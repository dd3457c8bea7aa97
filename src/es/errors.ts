import { errors } from '@elastic/elasticsearch';
import { KdwError, type ErrorContext } from '../errors';

/** The cluster could not be reached (refused, DNS, TLS, timeout). Retryable. */
export class EsUnavailableError extends KdwError {
  constructor(message: string, context: ErrorContext, cause: unknown) {
    super('es_unavailable', message, context, { cause, retryable: true });
  }
}

/** The cluster answered with an error. `status` and `type` come from Elasticsearch. */
export class EsResponseError extends KdwError {
  readonly status: number;
  readonly type: string;
  constructor(message: string, status: number, type: string, context: ErrorContext, cause: unknown) {
    // 429 and 5xx may pass; 4xx is a problem of the request or of privileges.
    super(
      'es_response',
      message,
      { ...context, status, type },
      { cause, retryable: status === 429 || status >= 500 },
    );
    this.status = status;
    this.type = type;
  }
}

/** Authenticated but not allowed: names the privilege that is missing when Elasticsearch says it. */
export class EsPrivilegeError extends EsResponseError {}

/**
 * Turns anything the client throws into a typed error with context. `operation` says what kdw was doing
 * ("search rule window", "install template kdw-alerts"), `context` names the index, rule and window.
 */
export function toEsError(err: unknown, operation: string, context: ErrorContext = {}): KdwError {
  if (err instanceof KdwError) return err;
  const ctx = { operation, ...context };
  if (err instanceof errors.ResponseError) {
    const status = err.statusCode ?? 0;
    const body: unknown = err.body;
    const { type, reason } = errorTypeAndReason(body);
    const message = `${operation}: Elasticsearch answered ${status} ${type}${reason === '' ? '' : `: ${reason}`}`;
    return status === 403
      ? new EsPrivilegeError(message, status, type, ctx, err)
      : new EsResponseError(message, status, type, ctx, err);
  }
  if (
    err instanceof errors.ConnectionError ||
    err instanceof errors.TimeoutError ||
    err instanceof errors.NoLivingConnectionsError
  ) {
    return new EsUnavailableError(`${operation}: Elasticsearch is unreachable (${err.message})`, ctx, err);
  }
  const message = err instanceof Error ? err.message : String(err);
  return new KdwError('es_client', `${operation}: ${message}`, ctx, { cause: err });
}

function errorTypeAndReason(body: unknown): { type: string; reason: string } {
  if (typeof body === 'object' && body !== null && 'error' in body) {
    const error: unknown = body.error;
    if (typeof error === 'object' && error !== null) {
      const rootCause: unknown =
        'root_cause' in error && Array.isArray(error.root_cause) ? error.root_cause[0] : undefined;
      const source = typeof rootCause === 'object' && rootCause !== null ? rootCause : error;
      const type = 'type' in source && typeof source.type === 'string' ? source.type : 'error';
      const reason = 'reason' in source && typeof source.reason === 'string' ? source.reason : '';
      return { type, reason };
    }
    if (typeof error === 'string') return { type: 'error', reason: error };
  }
  return { type: 'error', reason: '' };
}
