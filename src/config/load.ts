import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, resolve } from 'node:path';
import { parse, TomlError, type TomlTable } from 'smol-toml';
import { ConfigError } from '../errors';
import { readConnectionFile, type EsConnectionSettings } from '../es/connection';
import { scanPositions } from '../rules/positions';
import { CONFIG_KEYS, keySpec, type KeyValue, type LogLevel } from './schema';
import type { WorkerConfig } from './types';
import { parseValue, type Origin } from './values';

export interface LoadConfigOptions {
  /** config/default.toml of the installation (skipped when it does not exist) */
  readonly defaultFile: string;
  /** the file given with --config */
  readonly file?: string;
  readonly env: NodeJS.ProcessEnv;
  /** base of relative paths (rules, CA certificate) */
  readonly cwd: string;
  /** where .kdw/connection.env is looked up when no elasticsearch.url is set */
  readonly repoRoot: string;
  readonly hostname: string;
  readonly pid: number;
}

interface Setting {
  readonly value: KeyValue;
  readonly origin: Origin;
}

/** Values of one TOML file by dotted key; unknown keys and bad values are errors naming file:line:col. */
export function readConfigFile(file: string, text: string): Map<string, Setting> {
  let doc: TomlTable;
  try {
    doc = parse(text);
  } catch (err) {
    if (err instanceof TomlError) {
      const reason = err.message.replace(/^Invalid TOML document: /, '').split('\n')[0] ?? 'syntax error';
      throw new ConfigError(`${file}:${err.line}:${err.column}: not valid TOML: ${reason}`, {
        file,
        key: 'toml',
      });
    }
    throw err;
  }
  const positions = scanPositions(text);
  const out = new Map<string, Setting>();
  const walk = (table: TomlTable, prefix: readonly string[]): void => {
    for (const [name, raw] of Object.entries(table)) {
      const path = [...prefix, name];
      const key = path.join('.');
      const at = positions.nearest(path);
      const origin: Origin = { text: `${file}:${at.line}:${at.column}`, file };
      const spec = keySpec(key);
      if (spec !== undefined) {
        out.set(key, { value: parseValue(spec, raw, origin), origin });
      } else if (isTable(raw) && CONFIG_KEYS.some((k) => k.key.startsWith(`${key}.`))) {
        walk(raw, path);
      } else {
        throw new ConfigError(`${origin.text}: ${key} is not a known key (see the table in README.md)`, {
          key,
          file,
        });
      }
    }
  };
  walk(doc, []);
  return out;
}

function isTable(value: unknown): value is TomlTable {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);
}

function readFile(path: string, what: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    const code = typeof err === 'object' && err !== null && 'code' in err ? String(err.code) : 'error';
    throw new ConfigError(`${path}: cannot read the ${what} (${code})`, { file: path });
  }
}

/** Values set by environment variables: KDW_* first, then the ES_* connection variables. */
function readEnv(env: NodeJS.ProcessEnv): Map<string, Setting> {
  const out = new Map<string, Setting>();
  for (const spec of CONFIG_KEYS) {
    const name = spec.env.find((n) => env[n] !== undefined && env[n] !== '');
    if (name === undefined) continue;
    const origin: Origin = { text: `environment variable ${name}`, env: name };
    out.set(spec.key, { value: parseValue(spec, env[name], origin), origin });
  }
  return out;
}

/**
 * The worker configuration: the schema's defaults, then config/default.toml, then the --config file, then the
 * environment. Validated here, once; every error names the key and the file (or the environment variable).
 */
export function loadConfig(options: LoadConfigOptions): WorkerConfig {
  // the schema holds the same defaults: an installation without config/default.toml still works
  const hasDefault = existsSync(options.defaultFile);
  const layers: Map<string, Setting>[] = hasDefault
    ? [readConfigFile(options.defaultFile, readFile(options.defaultFile, 'default configuration'))]
    : [];
  const sources = hasDefault ? [options.defaultFile] : [];
  if (options.file !== undefined) {
    layers.push(
      readConfigFile(options.file, readFile(options.file, 'configuration file given with --config')),
    );
    sources.push(options.file);
  }
  const fromEnv = readEnv(options.env);
  layers.push(fromEnv);
  sources.push(...[...fromEnv.values()].map((s) => s.origin.text));
  const settings = new Map<string, Setting>();
  for (const layer of layers) for (const [k, s] of layer) settings.set(k, s);
  return build(settings, options, sources);
}

function build(settings: Map<string, Setting>, options: LoadConfigOptions, sources: string[]): WorkerConfig {
  const value = (key: string): KeyValue | undefined => settings.get(key)?.value ?? keySpec(key)?.default;
  const str = (key: string): string | undefined => {
    const v = value(key);
    return typeof v === 'string' && v !== '' ? v : undefined;
  };
  const num = (key: string): number => {
    const v = value(key);
    const spec = keySpec(key);
    if (typeof v === 'number') return v;
    // defaults of duration keys are written as text
    if (typeof v === 'string' && spec?.kind === 'duration')
      return parseValue(spec, v, { text: 'default' }) as number;
    throw new Error(`config: ${key} has no numeric value`);
  };
  const list = (key: string): readonly string[] => {
    const v = value(key);
    return Array.isArray(v) ? (v as readonly string[]) : [];
  };
  const config: WorkerConfig = {
    elasticsearch: connection(settings, str, num, options),
    rules: {
      paths: list('rules.paths').map((p) => (isAbsolute(p) ? p : resolve(options.cwd, p))),
      reloadIntervalMs: num('rules.reload_interval'),
    },
    alertsIndex: str('alerts_index') ?? '',
    executionsIndex: str('executions_index') ?? '',
    checkpointsIndex: str('checkpoints_index') ?? '',
    leasesIndex: str('leases_index') ?? '',
    space: str('space') ?? 'default',
    maxCatchUpMs: num('max_catch_up'),
    concurrency: num('concurrency'),
    leaseTtlMs: num('lease_ttl'),
    shutdownTimeoutMs: num('shutdown_timeout'),
    workerId: str('worker_id') ?? `${options.hostname}-${options.pid}`,
    http: { host: str('http.host') ?? '127.0.0.1', port: num('http.port') },
    log: { level: (str('log.level') ?? 'info') as LogLevel },
    sources,
  };
  checkIndices(config, settings);
  return config;
}

function where(settings: Map<string, Setting>, key: string): Origin {
  return settings.get(key)?.origin ?? { text: 'default' };
}

function fail(settings: Map<string, Setting>, key: string, message: string): never {
  const origin = where(settings, key);
  throw new ConfigError(`${origin.text}: ${key} ${message}`, {
    key,
    ...(origin.file === undefined ? {} : { file: origin.file }),
    ...(origin.env === undefined ? {} : { env: origin.env }),
  });
}

function checkIndices(config: WorkerConfig, settings: Map<string, Setting>): void {
  const names: [string, string][] = [
    ['alerts_index', config.alertsIndex],
    ['executions_index', config.executionsIndex],
    ['checkpoints_index', config.checkpointsIndex],
    ['leases_index', config.leasesIndex],
  ];
  for (const [key, name] of names) {
    for (const [otherKey, other] of names) {
      // index templates match `<index>*`: one name may not start with another
      if (key !== otherKey && name.startsWith(other))
        fail(settings, key, `"${name}" must not start with ${otherKey} "${other}"`);
    }
  }
}

function connection(
  settings: Map<string, Setting>,
  str: (key: string) => string | undefined,
  num: (key: string) => number,
  options: LoadConfigOptions,
): EsConnectionSettings {
  let url = str('elasticsearch.url');
  let username = str('elasticsearch.username');
  let password = str('elasticsearch.password');
  const apiKey = str('elasticsearch.api_key');
  let caCert = str('elasticsearch.ca_cert');
  if (url === undefined) {
    // nothing configured: the local node that scripts/elasticsearch.sh started, as user kdw
    const file = join(options.repoRoot, '.kdw', 'connection.env');
    if (!existsSync(file))
      fail(
        settings,
        'elasticsearch.url',
        `not set (and no ${file}): set it, or ES_URL, or run "npm run es -- start"`,
      );
    const local = readConnectionFile(file).kdw;
    url = local.url;
    caCert ??= local.caCertPath;
    if (
      username === undefined &&
      apiKey === undefined &&
      local.auth !== undefined &&
      'username' in local.auth
    ) {
      username = local.auth.username;
      password ??= local.auth.password;
    }
  }
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  if (parsed === undefined || (parsed.protocol !== 'https:' && parsed.protocol !== 'http:'))
    fail(settings, 'elasticsearch.url', `must be an https:// or http:// URL (got "${url}")`);
  if (parsed.username !== '' || parsed.password !== '')
    fail(settings, 'elasticsearch.url', 'must not carry credentials; use username/password or api_key');
  if (username !== undefined && apiKey !== undefined)
    fail(settings, 'elasticsearch.api_key', 'set either username/password or api_key, not both');
  if (username !== undefined && password === undefined)
    fail(settings, 'elasticsearch.password', `is not set but elasticsearch.username is ("${username}")`);
  const caCertPath =
    caCert === undefined ? undefined : isAbsolute(caCert) ? caCert : resolve(options.cwd, caCert);
  if (caCertPath !== undefined && !existsSync(caCertPath))
    fail(settings, 'elasticsearch.ca_cert', `no such file: ${caCertPath}`);
  return {
    url: url.replace(/\/+$/, ''),
    auth:
      username !== undefined
        ? { username, password: password ?? '' }
        : apiKey !== undefined
          ? { apiKey }
          : undefined,
    caCertPath,
    tlsVerify: settings.get('elasticsearch.tls_verify')?.value !== false,
    requestTimeoutMs: num('elasticsearch.request_timeout'),
    maxRetries: num('elasticsearch.max_retries'),
  };
}
