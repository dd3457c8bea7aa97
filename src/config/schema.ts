/**
 * Every key of the worker configuration, in one table: its kind, its default, the environment variables that
 * override it and what it means. The loader, the README table (checked by test/unit/config) and
 * config/default.toml all follow this table.
 */
export type KeyKind = 'string' | 'secret' | 'int' | 'duration' | 'bool' | 'list' | 'level' | 'index';

export type KeyValue = string | number | boolean | readonly string[];

export interface KeySpec {
  /** dotted path in the TOML file */
  readonly key: string;
  readonly kind: KeyKind;
  /** the value when no source sets the key; undefined = unset (optional key) */
  readonly default: KeyValue | undefined;
  /** how the default reads in the docs when it is computed */
  readonly defaultText?: string;
  /** environment variables that override the files, strongest first */
  readonly env: readonly string[];
  readonly doc: string;
  /** bounds of int and duration (ms) keys */
  readonly min?: number;
  readonly max?: number;
}

export const LOG_LEVELS = ['error', 'warn', 'info', 'debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

const env = (key: string, ...aliases: string[]): readonly string[] => [
  `KDW_${key.toUpperCase().replace(/\./g, '_')}`,
  ...aliases,
];

export const CONFIG_KEYS: readonly KeySpec[] = [
  {
    key: 'elasticsearch.url',
    kind: 'string',
    default: undefined,
    defaultText: 'the local node of scripts/elasticsearch.sh (.kdw/connection.env)',
    env: env('elasticsearch.url', 'ES_URL'),
    doc: 'https:// or http:// URL of Elasticsearch, without credentials',
  },
  {
    key: 'elasticsearch.username',
    kind: 'string',
    default: undefined,
    env: env('elasticsearch.username', 'ES_USERNAME'),
    doc: 'user kdw connects as (with password); it needs the role of config/elasticsearch/roles.yml',
  },
  {
    key: 'elasticsearch.password',
    kind: 'secret',
    default: undefined,
    env: env('elasticsearch.password', 'ES_PASSWORD'),
    doc: 'password of that user; prefer the environment to a file, it is never logged',
  },
  {
    key: 'elasticsearch.api_key',
    kind: 'secret',
    default: undefined,
    env: env('elasticsearch.api_key', 'ES_API_KEY'),
    doc: 'base64 API key, instead of username/password; prefer the environment, it is never logged',
  },
  {
    key: 'elasticsearch.ca_cert',
    kind: 'string',
    default: undefined,
    env: env('elasticsearch.ca_cert', 'ES_CA_CERT'),
    doc: 'PEM file of the CA that signed the cluster HTTP certificate (relative to the working directory)',
  },
  {
    key: 'elasticsearch.tls_verify',
    kind: 'bool',
    default: true,
    env: env('elasticsearch.tls_verify', 'ES_TLS_VERIFY'),
    doc: 'verify the server certificate; false is logged as a warning',
  },
  {
    key: 'elasticsearch.request_timeout',
    kind: 'duration',
    default: '30s',
    env: env('elasticsearch.request_timeout'),
    doc: 'timeout of one request to Elasticsearch',
    min: 100,
  },
  {
    key: 'elasticsearch.max_retries',
    kind: 'int',
    default: 3,
    env: env('elasticsearch.max_retries'),
    doc: 'retries of the client itself on connection errors and 502/503/504 (kdw adds no retry loop)',
    min: 0,
    max: 10,
  },
  {
    key: 'rules.paths',
    kind: 'list',
    default: ['rules'],
    env: env('rules.paths'),
    doc: 'rule files and directories (*.toml, recursive); comma-separated in the environment',
  },
  {
    key: 'rules.reload_interval',
    kind: 'duration',
    default: '5s',
    env: env('rules.reload_interval'),
    doc: 'how often the rule files are checked for changes (hot reload); 0s turns reloading off',
    min: 0,
  },
  {
    key: 'alerts_index',
    kind: 'index',
    default: 'kdw-alerts-default',
    env: env('alerts_index'),
    doc: 'index the alerts are written to',
  },
  {
    key: 'executions_index',
    kind: 'index',
    default: 'kdw-executions-default',
    env: env('executions_index'),
    doc: 'index of the execution records (one per run)',
  },
  {
    key: 'checkpoints_index',
    kind: 'index',
    default: 'kdw-checkpoints-default',
    env: env('checkpoints_index'),
    doc: 'index of the checkpoints (end of the last covered window, one document per rule)',
  },
  {
    key: 'leases_index',
    kind: 'index',
    default: 'kdw-leases-default',
    env: env('leases_index'),
    doc: 'index of the leases (which replica owns which rule)',
  },
  {
    key: 'space',
    kind: 'string',
    default: 'default',
    env: env('space'),
    doc: 'Kibana space of the alerts (kibana.space_ids, part of the alert ids)',
  },
  {
    key: 'max_catch_up',
    kind: 'duration',
    default: '24h',
    env: env('max_catch_up'),
    doc: 'how far back a rule catches up after downtime; older parts are recorded as gaps',
    min: 0,
  },
  {
    key: 'concurrency',
    kind: 'int',
    default: 4,
    env: env('concurrency'),
    doc: 'rule runs at the same time, over all rules',
    min: 1,
    max: 256,
  },
  {
    key: 'lease_ttl',
    kind: 'duration',
    default: '60s',
    env: env('lease_ttl'),
    doc: 'how long a lease lasts without renewal; a rule holds it for at least 2 of its intervals',
    min: 1000,
  },
  {
    key: 'shutdown_timeout',
    kind: 'duration',
    default: '30s',
    env: env('shutdown_timeout'),
    doc: 'on SIGINT/SIGTERM, how long in-flight runs may take to finish',
    min: 0,
  },
  {
    key: 'worker_id',
    kind: 'string',
    default: undefined,
    defaultText: '<hostname>-<pid>',
    env: env('worker_id'),
    doc: 'name of this replica in leases, execution records and logs',
  },
  {
    key: 'http.host',
    kind: 'string',
    default: '127.0.0.1',
    env: env('http.host'),
    doc: 'address of the /healthz, /readyz and /metrics endpoint',
  },
  {
    key: 'http.port',
    kind: 'int',
    default: 9464,
    env: env('http.port'),
    doc: 'port of that endpoint; 0 picks a free one (logged)',
    min: 0,
    max: 65535,
  },
  {
    key: 'log.level',
    kind: 'level',
    default: 'info',
    env: env('log.level'),
    doc: `one of ${LOG_LEVELS.join(', ')}`,
  },
];

export function keySpec(key: string): KeySpec | undefined {
  return CONFIG_KEYS.find((k) => k.key === key);
}
