import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CONFIG_KEYS,
  configTableMarkdown,
  loadConfig,
  parseDuration,
  readConfigFile,
} from '../../../src/config';
import { ConfigError } from '../../../src/errors';

const REPO = join(__dirname, '..', '..', '..');
const DEFAULT_FILE = join(REPO, 'config', 'default.toml');
const dir = mkdtempSync(join(tmpdir(), 'kdw-config-'));
const ca = join(dir, 'ca.crt');
writeFileSync(ca, 'not really a certificate');

function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

const base = {
  defaultFile: DEFAULT_FILE,
  cwd: '/srv/kdw',
  // no .kdw/connection.env there: elasticsearch.url must come from a file or the environment
  repoRoot: dir,
  hostname: 'host-a',
  pid: 42,
};
const esEnv = { ES_URL: 'https://es.example:9200', ES_USERNAME: 'kdw', ES_PASSWORD: 's3cret-pw' };

function errorOf(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('config', () => {
  it('applies the documented defaults from config/default.toml', () => {
    const config = loadConfig({ ...base, env: esEnv });
    expect(config).toMatchObject({
      alertsIndex: 'kdw-alerts-default',
      executionsIndex: 'kdw-executions-default',
      checkpointsIndex: 'kdw-checkpoints-default',
      leasesIndex: 'kdw-leases-default',
      space: 'default',
      maxCatchUpMs: 24 * 3_600_000,
      concurrency: 4,
      leaseTtlMs: 60_000,
      shutdownTimeoutMs: 30_000,
      workerId: 'host-a-42',
      http: { host: '127.0.0.1', port: 9464 },
      log: { level: 'info' },
      rules: { paths: ['/srv/kdw/rules'], reloadIntervalMs: 5000 },
      elasticsearch: {
        url: 'https://es.example:9200',
        auth: { username: 'kdw', password: 's3cret-pw' },
        tlsVerify: true,
        requestTimeoutMs: 30_000,
        maxRetries: 3,
      },
    });
  });

  it('lets the --config file override the defaults and the environment override both', () => {
    const override = file(
      'override.toml',
      'concurrency = 2\nmax_catch_up = "2h"\n[rules]\npaths = ["/r1", "r2"]\n[http]\nport = 0\n',
    );
    const config = loadConfig({
      ...base,
      file: override,
      env: {
        ...esEnv,
        KDW_CONCURRENCY: '8',
        KDW_ELASTICSEARCH_REQUEST_TIMEOUT: '5s',
        KDW_LOG_LEVEL: 'debug',
      },
    });
    expect(config.concurrency).toBe(8);
    expect(config.maxCatchUpMs).toBe(7_200_000);
    expect(config.rules.paths).toEqual(['/r1', '/srv/kdw/r2']);
    expect(config.http.port).toBe(0);
    expect(config.elasticsearch.requestTimeoutMs).toBe(5000);
    expect(config.log.level).toBe('debug');
    expect(config.sources).toEqual([
      DEFAULT_FILE,
      override,
      'environment variable ES_URL',
      'environment variable ES_USERNAME',
      'environment variable ES_PASSWORD',
      'environment variable KDW_ELASTICSEARCH_REQUEST_TIMEOUT',
      'environment variable KDW_CONCURRENCY',
      'environment variable KDW_LOG_LEVEL',
    ]);
  });

  it('prefers KDW_ELASTICSEARCH_* to the ES_* variables, and reads an API key', () => {
    const config = loadConfig({
      ...base,
      env: { ES_URL: 'https://a:9200', KDW_ELASTICSEARCH_URL: 'https://b:9200/', ES_API_KEY: 'a2V5' },
    });
    expect(config.elasticsearch.url).toBe('https://b:9200');
    expect(config.elasticsearch.auth).toEqual({ apiKey: 'a2V5' });
  });

  it.each([
    ['bad.toml', 'concurrency = 0\n', {}, /bad\.toml:1:1: concurrency must be at least 1$/],
    [
      'bad2.toml',
      '\n[rules]\nreload_interval = "soon"\n',
      {},
      /bad2\.toml:3:1: rules\.reload_interval must be a duration/,
    ],
    ['bad3.toml', 'concurency = 3\n', {}, /bad3\.toml:1:1: concurency is not a known key/],
    [
      'bad4.toml',
      '[log]\nlevel = "loud"\n',
      {},
      /bad4\.toml:2:1: log\.level must be one of error, warn, info, debug/,
    ],
    [
      'bad5.toml',
      'alerts_index = "alerts"\n',
      {},
      /bad5\.toml:1:1: alerts_index must start with kdw- or \.kdw-/,
    ],
    ['bad6.toml', 'x = [\n', {}, /bad6\.toml:\d+:\d+: not valid TOML/],
    ['bad7.toml', '[http]\nport = "80"\n', {}, /bad7\.toml:2:1: http\.port must be an integer \(got "80"\)/],
    [
      'ok.toml',
      '',
      { KDW_MAX_CATCH_UP: '1 day' },
      /^environment variable KDW_MAX_CATCH_UP: max_catch_up must be a duration/,
    ],
    [
      'ok.toml',
      '',
      { ES_TLS_VERIFY: 'yes' },
      /^environment variable ES_TLS_VERIFY: elasticsearch\.tls_verify must be true or false/,
    ],
    [
      'prefix.toml',
      'executions_index = "kdw-alerts-default-x"\n',
      {},
      /prefix\.toml:1:1: executions_index "kdw-alerts-default-x" must not start with alerts_index/,
    ],
  ])('%s %j: the error names the file (or variable) and the key', (name, text, env, message) => {
    const err = errorOf(() => loadConfig({ ...base, file: file(name, text), env: { ...esEnv, ...env } }));
    expect(err.message).toMatch(message);
    expect(err.context['key']).toBeDefined();
  });

  it('checks the connection keys together', () => {
    expect(errorOf(() => loadConfig({ ...base, env: {} })).message).toMatch(
      /^default: elasticsearch\.url not set \(and no .*connection\.env\)/,
    );
    expect(
      errorOf(() => loadConfig({ ...base, env: { ES_URL: 'https://a', ES_USERNAME: 'kdw' } })).message,
    ).toBe('default: elasticsearch.password is not set but elasticsearch.username is ("kdw")');
    expect(
      errorOf(() => loadConfig({ ...base, env: { ...esEnv, KDW_ELASTICSEARCH_API_KEY: 'k' } })).message,
    ).toBe(
      'environment variable KDW_ELASTICSEARCH_API_KEY: elasticsearch.api_key set either username/password or api_key, not both',
    );
    expect(errorOf(() => loadConfig({ ...base, env: { ES_URL: 'ftp://a' } })).message).toBe(
      'environment variable ES_URL: elasticsearch.url must be an https:// or http:// URL (got "ftp://a")',
    );
    const withCa = file('ca.toml', '[elasticsearch]\nca_cert = "missing.crt"\n');
    expect(errorOf(() => loadConfig({ ...base, file: withCa, env: esEnv })).message).toBe(
      `${withCa}:2:1: elasticsearch.ca_cert no such file: /srv/kdw/missing.crt`,
    );
    const okCa = file('ca2.toml', `[elasticsearch]\nca_cert = "${ca}"\ntls_verify = false\n`);
    expect(loadConfig({ ...base, file: okCa, env: esEnv }).elasticsearch).toMatchObject({
      caCertPath: ca,
      tlsVerify: false,
    });
  });

  it('never puts a secret in an error message', () => {
    const bad = file('secret.toml', '[elasticsearch]\npassword = 12345678\n');
    const err = errorOf(() => loadConfig({ ...base, file: bad, env: {} }));
    expect(err.message).toBe(`${bad}:2:1: elasticsearch.password must be a string (got ***)`);
  });

  it('falls back to the local node of scripts/elasticsearch.sh when no URL is set', () => {
    const root = mkdtempSync(join(tmpdir(), 'kdw-root-'));
    const kdwDir = join(root, '.kdw');
    mkdirSync(kdwDir);
    writeFileSync(
      join(kdwDir, 'connection.env'),
      `KDW_ES_MODE=local\nES_URL=https://127.0.0.1:9201\nES_CA_CERT=${ca}\nES_ADMIN_USERNAME=a\nES_ADMIN_PASSWORD=b\nES_USERNAME=kdw\nES_PASSWORD=pw-local\nES_VERSION=8.19.21\n`,
    );
    const config = loadConfig({ ...base, repoRoot: root, env: {} });
    expect(config.elasticsearch).toMatchObject({
      url: 'https://127.0.0.1:9201',
      caCertPath: ca,
      auth: { username: 'kdw', password: 'pw-local' },
    });
  });

  it('parses durations', () => {
    expect([parseDuration('500ms'), parseDuration('10s'), parseDuration('5m'), parseDuration('0s')]).toEqual([
      500, 10_000, 300_000, 0,
    ]);
    expect(parseDuration('5 m')).toBeUndefined();
  });

  it('config/default.toml sets or comments every key of the schema, each with a comment above it', () => {
    const text = readFileSync(DEFAULT_FILE, 'utf8');
    const set = readConfigFile(DEFAULT_FILE, text);
    for (const spec of CONFIG_KEYS) {
      const leaf = spec.key.split('.').pop() ?? spec.key;
      const line = text.split('\n').findIndex((l) => new RegExp(`^#? ?${leaf} = `).test(l));
      expect([spec.key, line >= 0]).toEqual([spec.key, true]);
      expect([spec.key, text.split('\n')[line - 1]?.startsWith('#')]).toEqual([spec.key, true]);
      if (set.has(spec.key)) expect([spec.key, set.get(spec.key)?.value]).toBeDefined();
    }
  });

  it('README.md has the table of every key, as generated from the schema', () => {
    // prettier may pad the cells: compare with runs of spaces and dashes collapsed
    const norm = (text: string): string => text.replace(/ +/g, ' ').replace(/-{3,}/g, '---');
    const readme = readFileSync(join(REPO, 'README.md'), 'utf8');
    const start = readme.indexOf('<!-- config-table:start -->');
    const end = readme.indexOf('<!-- config-table:end -->');
    expect(norm(readme.slice(start, end))).toContain(norm(configTableMarkdown()));
  });
});
