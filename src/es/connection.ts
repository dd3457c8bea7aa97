import { readFileSync } from 'node:fs';
import { ConfigError } from '../errors';

/** How kdw reaches Elasticsearch. One shape for the CLI, the worker, the lab and the tests. */
export interface EsConnectionSettings {
  readonly url: string;
  readonly auth:
    { readonly username: string; readonly password: string } | { readonly apiKey: string } | undefined;
  /** PEM file of the CA that signed the cluster's HTTP certificate. */
  readonly caCertPath?: string | undefined;
  /** Verify the server certificate (default true). Turning it off is logged as a warning by the caller. */
  readonly tlsVerify: boolean;
  readonly requestTimeoutMs: number;
  /** Retries of the client itself on connection errors and 502/503/504; kdw adds no retry loop of its own. */
  readonly maxRetries: number;
}

export const CONNECTION_DEFAULTS = { tlsVerify: true, requestTimeoutMs: 30_000, maxRetries: 3 } as const;

/** Connection settings from ES_URL, ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERT, ES_TLS_VERIFY. */
export function connectionFromEnv(env: NodeJS.ProcessEnv): EsConnectionSettings | undefined {
  const url = env['ES_URL'];
  if (url === undefined || url === '') return undefined;
  return buildSettings(
    {
      url,
      username: env['ES_USERNAME'],
      password: env['ES_PASSWORD'],
      apiKey: env['ES_API_KEY'],
      caCertPath: env['ES_CA_CERT'],
      tlsVerify: env['ES_TLS_VERIFY'],
    },
    'environment',
  );
}

interface RawSettings {
  url: string;
  username?: string | undefined;
  password?: string | undefined;
  apiKey?: string | undefined;
  caCertPath?: string | undefined;
  tlsVerify?: string | undefined;
}

function buildSettings(raw: RawSettings, source: string): EsConnectionSettings {
  let parsed: URL;
  try {
    parsed = new URL(raw.url);
  } catch {
    throw new ConfigError(`ES_URL is not a URL: "${raw.url}" (from ${source})`, { key: 'ES_URL', source });
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new ConfigError(`ES_URL must start with https:// or http:// (from ${source})`, {
      key: 'ES_URL',
      source,
    });
  }
  if (parsed.username !== '' || parsed.password !== '') {
    throw new ConfigError(
      `ES_URL must not carry credentials; use ES_USERNAME/ES_PASSWORD or ES_API_KEY (from ${source})`,
      {
        key: 'ES_URL',
        source,
      },
    );
  }
  const hasUser = raw.username !== undefined && raw.username !== '';
  const hasKey = raw.apiKey !== undefined && raw.apiKey !== '';
  if (hasUser && hasKey) {
    throw new ConfigError(`set either ES_USERNAME/ES_PASSWORD or ES_API_KEY, not both (from ${source})`, {
      key: 'ES_API_KEY',
      source,
    });
  }
  if (hasUser && (raw.password === undefined || raw.password === '')) {
    throw new ConfigError(`ES_USERNAME is set but ES_PASSWORD is empty (from ${source})`, {
      key: 'ES_PASSWORD',
      source,
    });
  }
  let tlsVerify: boolean = CONNECTION_DEFAULTS.tlsVerify;
  if (raw.tlsVerify !== undefined && raw.tlsVerify !== '') {
    if (raw.tlsVerify !== 'true' && raw.tlsVerify !== 'false') {
      throw new ConfigError(`ES_TLS_VERIFY must be true or false, got "${raw.tlsVerify}" (from ${source})`, {
        key: 'ES_TLS_VERIFY',
        source,
      });
    }
    tlsVerify = raw.tlsVerify === 'true';
  }
  return {
    url: raw.url.replace(/\/+$/, ''),
    auth: hasUser
      ? { username: raw.username ?? '', password: raw.password ?? '' }
      : hasKey
        ? { apiKey: raw.apiKey ?? '' }
        : undefined,
    caCertPath: raw.caCertPath === '' ? undefined : raw.caCertPath,
    tlsVerify,
    requestTimeoutMs: CONNECTION_DEFAULTS.requestTimeoutMs,
    maxRetries: CONNECTION_DEFAULTS.maxRetries,
  };
}

/** What scripts/elasticsearch.sh writes to .kdw/connection.env. */
export interface LocalConnection {
  readonly mode: string;
  readonly version: string;
  /** kdw's own least-privilege user. */
  readonly kdw: EsConnectionSettings;
  /** The superuser, for setup only (templates of the data, test fixtures, users). */
  readonly admin: EsConnectionSettings;
}

/** Parses the KEY=value lines (bash `printf %q` quoting) of the connection file. */
export function parseConnectionFile(text: string, path: string): LocalConnection {
  const values = new Map<string, string>();
  text.split('\n').forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    const eq = trimmed.indexOf('=');
    if (eq <= 0)
      throw new ConfigError(`${path}:${index + 1}: expected KEY=value`, { file: path, line: index + 1 });
    values.set(trimmed.slice(0, eq), unquoteShell(trimmed.slice(eq + 1)));
  });
  const get = (key: string): string => {
    const value = values.get(key);
    if (value === undefined || value === '') {
      throw new ConfigError(`${path}: missing ${key}; run "npm run es -- start" again`, { file: path, key });
    }
    return value;
  };
  const common = { url: get('ES_URL'), caCertPath: values.get('ES_CA_CERT') };
  return {
    mode: get('KDW_ES_MODE'),
    version: get('ES_VERSION'),
    kdw: buildSettings({ ...common, username: get('ES_USERNAME'), password: get('ES_PASSWORD') }, path),
    admin: buildSettings(
      { ...common, username: get('ES_ADMIN_USERNAME'), password: get('ES_ADMIN_PASSWORD') },
      path,
    ),
  };
}

export function readConnectionFile(path: string): LocalConnection {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(
      `no Elasticsearch connection file at ${path}: start one with "npm run es -- start" (or set ES_URL)`,
      { file: path, cause: err instanceof Error ? err.message : String(err) },
    );
  }
  return parseConnectionFile(text, path);
}

function unquoteShell(value: string): string {
  if (value.startsWith("'") && value.endsWith("'") && value.length >= 2) return value.slice(1, -1);
  if (value.startsWith("$'") && value.endsWith("'")) return value.slice(2, -1).replace(/\\(.)/g, '$1');
  return value.replace(/\\(.)/g, '$1');
}
