import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { buildProgram } from '../../../src/cli/program';
import { CONFIG_KEYS } from '../../../src/config/schema';

/**
 * docker-compose.yml, .env.example, the setup and generator scripts, checked structurally: there is no
 * Docker engine on the development machines, so nothing here starts a container.
 */
const root = join(__dirname, '..', '..', '..');
const read = (path: string): string => readFileSync(join(root, path), 'utf8');

const STACK_VERSION = '8.19.21';
const ES_IMAGE = `docker.elastic.co/elasticsearch/elasticsearch:${STACK_VERSION}`;
const KIBANA_IMAGE = `docker.elastic.co/kibana/kibana:${STACK_VERSION}`;

interface Healthcheck {
  test?: string | string[];
}
interface Service {
  image?: string;
  build?: { context?: string; dockerfile?: string } | string;
  entrypoint?: string | string[];
  command?: string | string[];
  environment?: Record<string, string | number | boolean | null> | string[];
  depends_on?: Record<string, { condition?: string }> | string[];
  healthcheck?: Healthcheck;
  ports?: string[];
  volumes?: string[];
  restart?: string;
  user?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const composeText = read('docker-compose.yml');
// merge keys (<<: *anchor) as docker compose reads them
const compose = parseYaml(composeText, { merge: true }) as Compose;

function service(name: string): Service {
  const s = compose.services[name];
  if (s === undefined) throw new Error(`docker-compose.yml has no service ${name}`);
  return s;
}

function env(s: Service): Record<string, string> {
  const raw = s.environment ?? {};
  if (Array.isArray(raw)) {
    return Object.fromEntries(
      raw.map((line) => {
        const eq = line.indexOf('=');
        return eq < 0 ? [line, ''] : [line.slice(0, eq), line.slice(eq + 1)];
      }),
    );
  }
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v === null ? '' : String(v)]));
}

function dependsOn(s: Service): Record<string, string | undefined> {
  const raw = s.depends_on ?? {};
  if (Array.isArray(raw)) return Object.fromEntries(raw.map((name) => [name, undefined]));
  return Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, v.condition]));
}

const list = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

/** KEY=value lines of .env.example, with whether a comment line documents each. */
function envExample(): Map<string, { value: string; documented: boolean }> {
  const out = new Map<string, { value: string; documented: boolean }>();
  let comment = false;
  for (const line of read('.env.example').split('\n')) {
    const trimmed = line.trim();
    if (trimmed.startsWith('#')) {
      comment = true;
      continue;
    }
    if (trimmed === '') {
      comment = false;
      continue;
    }
    const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(trimmed);
    if (m === null) throw new Error(`.env.example: not KEY=value: ${line}`);
    out.set(m[1] ?? '', { value: m[2] ?? '', documented: comment });
  }
  return out;
}

/** ${VAR}, ${VAR:-default}, ${VAR:?message}; `$${VAR}` is compose's escape for the container's shell. */
function interpolatedVariables(text: string): Set<string> {
  return new Set([...text.matchAll(/(?<!\$)\$\{([A-Za-z_][A-Za-z0-9_]*)/g)].map((m) => m[1] ?? ''));
}

const SECRET_NAME = /PASSWORD|SECRET|TOKEN|ENCRYPTIONKEY|API_KEY/i;

describe('docker-compose.yml', () => {
  it('runs the official Elasticsearch and Kibana images of the tested version', () => {
    expect(service('elasticsearch').image).toBe(ES_IMAGE);
    expect(service('kibana').image).toBe(KIBANA_IMAGE);
    for (const [name, s] of Object.entries(compose.services)) {
      if (s.image?.startsWith('docker.elastic.co/') === true) {
        expect({ name, version: s.image.split(':')[1] }).toEqual({ name, version: STACK_VERSION });
      }
    }
  });

  it('has the services of the lab', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['certs', 'elasticsearch', 'generator', 'kibana', 'setup', 'worker'].sort(),
    );
  });

  it('turns security on: TLS on HTTP and transport with the certificates of the certs volume', () => {
    const es = env(service('elasticsearch'));
    expect(es['xpack.security.enabled']).toBe('true');
    expect(es['xpack.security.http.ssl.enabled']).toBe('true');
    expect(es['xpack.security.transport.ssl.enabled']).toBe('true');
    expect(es['discovery.type']).toBe('single-node');
    expect(es['ELASTIC_PASSWORD']).toMatch(/^\$\{ELASTIC_PASSWORD(:[?-].*)?\}$/);
    expect(service('elasticsearch').volumes).toContain('certs:/usr/share/elasticsearch/config/certs');
    // the certificates docker/certs.sh makes, for the names the other services connect to
    const certs = read('docker/certs.sh');
    expect(certs).toContain('elasticsearch-certutil ca');
    expect(certs).toContain('elasticsearch-certutil cert');
    expect(certs).toMatch(/- name: elasticsearch\n\s+dns: \[elasticsearch, localhost\]/);
    expect(certs).toMatch(/- name: kibana\n\s+dns: \[kibana, localhost\]/);
    expect(es['xpack.security.http.ssl.certificate']).toBe('certs/elasticsearch/elasticsearch.crt');
    expect(es['xpack.security.http.ssl.certificate_authorities']).toBe('certs/ca/ca.crt');
    expect(service('certs').image).toBe(ES_IMAGE);
    expect(list(service('certs').volumes)).toContain('./docker/certs.sh:/docker/certs.sh:ro');
    expect(existsSync(join(root, 'docker', 'certs.sh'))).toBe(true);

    const kibana = env(service('kibana'));
    expect(kibana['ELASTICSEARCH_HOSTS']).toBe('https://elasticsearch:9200');
    expect(kibana['ELASTICSEARCH_USERNAME']).toBe('kibana_system');
    expect(kibana['ELASTICSEARCH_SSL_CERTIFICATEAUTHORITIES']).toBe('config/certs/ca/ca.crt');
    expect(service('kibana').volumes).toContain('certs:/usr/share/kibana/config/certs');
    expect(kibana['XPACK_ENCRYPTEDSAVEDOBJECTS_ENCRYPTIONKEY']).toMatch(
      /^\$\{KIBANA_ENCRYPTION_KEY(:\?.*)?\}$/,
    );
  });

  it('documents in .env.example every variable it uses, and uses every variable documented there', () => {
    const example = envExample();
    const used = interpolatedVariables(composeText);
    for (const name of used) {
      expect({ name, inEnvExample: example.has(name) }).toEqual({ name, inEnvExample: true });
      expect({ name, documented: example.get(name)?.documented }).toEqual({ name, documented: true });
    }
    for (const name of example.keys()) {
      expect({ name, usedByCompose: used.has(name) }).toEqual({ name, usedByCompose: true });
    }
    for (const name of [
      'ELASTIC_PASSWORD',
      'KIBANA_SYSTEM_PASSWORD',
      'KDW_PASSWORD',
      'KIBANA_ENCRYPTION_KEY',
      'ES_PORT',
      'KIBANA_PORT',
    ]) {
      expect(used.has(name)).toBe(true);
    }
    // Kibana refuses an encryption key shorter than 32 characters
    expect((example.get('KIBANA_ENCRYPTION_KEY')?.value ?? '').length).toBeGreaterThanOrEqual(32);
    // .env holds the real values and must never be committed
    expect(read('.gitignore').split('\n')).toContain('.env');
  });

  it('hard-codes no secret: every password and key comes from .env', () => {
    const example = envExample();
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [key, value] of Object.entries(env(s))) {
        if (!SECRET_NAME.test(key)) continue;
        expect({ service: name, key, value }).toEqual({
          service: name,
          key,
          value: expect.stringMatching(/^\$\{[A-Z_]+(:\?[^}]*)?\}$/),
        });
      }
    }
    for (const [name, { value }] of example) {
      if (SECRET_NAME.test(name)) expect(composeText).not.toContain(value);
    }
    expect(composeText).not.toMatch(/changeme|change-me/i);
  });

  it('publishes ports on 127.0.0.1 only', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const port of s.ports ?? []) {
        expect({ name, port }).toEqual({ name, port: expect.stringMatching(/^127\.0\.0\.1:/) });
      }
    }
  });

  it('has healthchecks where others wait for health, and one-shot jobs where they wait for completion', () => {
    for (const name of ['elasticsearch', 'kibana', 'worker', 'generator']) {
      expect(list(service(name).healthcheck?.test).length).toBeGreaterThan(1);
    }
    for (const [name, s] of Object.entries(compose.services)) {
      for (const [target, condition] of Object.entries(dependsOn(s))) {
        expect(compose.services[target]).toBeDefined();
        if (condition === 'service_healthy') {
          expect({ name, target, healthcheck: service(target).healthcheck !== undefined }).toEqual({
            name,
            target,
            healthcheck: true,
          });
        }
        if (condition === 'service_completed_successfully') {
          expect({ name, target, restart: service(target).restart }).toEqual({ name, target, restart: 'no' });
        }
      }
    }
    expect(dependsOn(service('elasticsearch'))).toEqual({ certs: 'service_completed_successfully' });
    expect(dependsOn(service('setup'))).toEqual({ elasticsearch: 'service_healthy' });
    expect(dependsOn(service('kibana'))).toEqual({ elasticsearch: 'service_healthy' });
    expect(dependsOn(service('worker'))).toEqual({ setup: 'service_completed_successfully' });
    expect(dependsOn(service('generator'))).toEqual({ setup: 'service_completed_successfully' });
  });

  it("runs the worker from the repo's Dockerfile as kdw, over HTTPS with the CA of the certs volume", () => {
    const worker = service('worker');
    expect(worker.build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
    expect(list(worker.command)).toEqual(['run']);
    expect(worker.entrypoint).toBeUndefined();
    const e = env(worker);
    expect(e['ES_URL']).toBe('https://elasticsearch:9200');
    expect(e['ES_USERNAME']).toBe('kdw');
    expect(e['ES_PASSWORD']).toMatch(/^\$\{KDW_PASSWORD(:\?.*)?\}$/);
    expect(e['ES_CA_CERT']).toBe('/certs/ca/ca.crt');
    expect(worker.volumes).toContain('certs:/certs:ro');
    // every variable the worker gets is a configuration key of kdw run (src/config/schema.ts)
    const known = new Set(CONFIG_KEYS.flatMap((k) => k.env));
    for (const key of Object.keys(e)) expect({ key, known: known.has(key) }).toEqual({ key, known: true });
    // its endpoint listens beyond the container's loopback, where the port mapping reaches it
    expect(e['KDW_HTTP_HOST']).toBe('0.0.0.0');
    expect(list(worker.healthcheck?.test).join(' ')).toContain(`127.0.0.1:${e['KDW_HTTP_PORT']}/healthz`);
  });

  it('builds setup, worker and generator from the same kdw image', () => {
    const images = ['setup', 'worker', 'generator'].map((n) => service(n).image);
    expect(new Set(images).size).toBe(1);
    for (const name of ['setup', 'worker', 'generator']) {
      expect(service(name).build).toEqual({ context: '.', dockerfile: 'Dockerfile' });
      expect(service(name).volumes).toContain('certs:/certs:ro');
      expect(env(service(name))['ES_CA_CERT']).toBe('/certs/ca/ca.crt');
    }
    for (const name of Object.keys(compose.volumes ?? {})) {
      expect(composeText).toContain(`${name}:/`);
    }
    expect(Object.keys(compose.volumes ?? {}).sort()).toEqual(['certs', 'esdata', 'kibanadata']);
  });
});

describe('the setup service (docker/setup.mjs)', () => {
  const setup = service('setup');
  const script = read('docker/setup.mjs');

  it('runs the script the image contains, with the passwords it needs', () => {
    expect(list(setup.entrypoint)).toEqual(['node', 'docker/setup.mjs']);
    const e = env(setup);
    for (const key of [
      'ES_URL',
      'ES_CA_CERT',
      'ELASTIC_PASSWORD',
      'KIBANA_SYSTEM_PASSWORD',
      'KDW_PASSWORD',
    ]) {
      expect(e[key]).toBeDefined();
      // required('KEY'), passwordOf('KEY') or process.env.KEY
      expect(script).toMatch(new RegExp(`('${key}'|process\\.env\\.${key}\\b)`));
    }
    expect(e['KIBANA_URL']).toBe('http://kibana:5601');
    expect(script).toContain("'KIBANA_URL'");
    const dockerfile = read('Dockerfile');
    expect(dockerfile).toMatch(/^COPY .*docker\/setup\.mjs.*docker\/$/m);
    expect(dockerfile).toMatch(/^COPY .*docker\/kdw_worker-role\.json.*docker\/$/m);
    expect(dockerfile).toMatch(/^COPY kibana\/ kibana\/$/m);
  });

  it("calls kdw's compiled modules by names that exist in src/", () => {
    const imports = [...script.matchAll(/^import (\w+) from '\.\.\/dist\/(src\/[\w/]+)\.js';$/gm)];
    expect(imports.length).toBeGreaterThanOrEqual(3);
    for (const [, local, path] of imports) {
      const source = read(`${path ?? ''}.ts`);
      const used = [...script.matchAll(new RegExp(`\\b${local ?? ''}\\.(\\w+)\\(`, 'g'))].map((m) => m[1]);
      expect(used.length).toBeGreaterThan(0);
      for (const name of used) {
        expect({
          path,
          name,
          exported: new RegExp(`export (async )?function ${name}\\b`).test(source),
        }).toEqual({
          path,
          name,
          exported: true,
        });
      }
    }
  });

  it('does every step of the setup job', () => {
    expect(script).toContain("username: 'kibana_system'");
    expect(script).toMatch(/security\.changePassword\(/);
    expect(script).toMatch(/security\.putRole\(\{ name: ROLE/);
    expect(script).toContain("const ROLE = 'kdw_worker'");
    expect(script).toMatch(/security\.putUser\(/);
    expect(script).toContain('installAuditLogsTemplate(');
    expect(script).toContain('installKdwTemplates(');
    expect(script).toContain('/api/saved_objects/_import?overwrite=true');
    expect(script).toContain("'kibana', 'saved_objects.ndjson'");
    expect(script).toContain("'kbn-xsrf'");
  });

  it('creates kdw_worker with exactly the privileges of config/elasticsearch/roles.yml', () => {
    interface Role {
      cluster: string[];
      indices: { names: string[]; privileges: string[] }[];
    }
    const yml = (parseYaml(read('config/elasticsearch/roles.yml')) as Record<string, Role>)['kdw_worker'];
    const json = JSON.parse(read('docker/kdw_worker-role.json')) as Role & Record<string, unknown>;
    const normalize = (role: Role | undefined): unknown => ({
      cluster: [...(role?.cluster ?? [])].sort(),
      indices: (role?.indices ?? [])
        .map((i) => ({ names: [...i.names].sort(), privileges: [...i.privileges].sort() }))
        .sort((a, b) => a.names.join().localeCompare(b.names.join())),
    });
    expect(yml).toBeDefined();
    expect(normalize(json)).toEqual(normalize(yml));
    // nothing else that grants: no run_as, no application or remote privileges
    expect(Object.keys(json).sort()).toEqual(['cluster', 'indices', 'metadata']);
    for (const entry of json.indices) expect(Object.keys(entry).sort()).toEqual(['names', 'privileges']);
  });
});

describe('the generator service (docker/generator.sh)', () => {
  const script = read('docker/generator.sh');
  const program = buildProgram({
    io: { out: () => undefined, err: () => undefined, isTty: false, env: {}, cwd: root },
    repoRoot: root,
    setExit: () => undefined,
  });

  it('runs the script the image contains', () => {
    expect(list(service('generator').entrypoint)).toEqual(['sh', 'docker/generator.sh']);
    expect(read('Dockerfile')).toMatch(/^COPY .*docker\/generator\.sh.*docker\/$/m);
    expect(env(service('generator'))['KDW_WORKER_READYZ']).toBe(
      `http://worker:${env(service('worker'))['KDW_HTTP_PORT']}/readyz`,
    );
    expect(list(service('generator').healthcheck?.test)).toContain('/tmp/kdw-history-loaded');
    expect(script).toContain('marker=/tmp/kdw-history-loaded');
  });

  it('calls kdw commands and options that exist', () => {
    const calls = [...script.matchAll(/\bkdw (\w[\w-]*)([^|\n]*)/g)];
    const commands = new Set(calls.map((m) => m[1]));
    expect(commands).toEqual(new Set(['generate', 'replay']));
    for (const [, name, args] of calls) {
      const command = program.commands.find((c) => c.name() === name);
      expect({ name, exists: command !== undefined }).toEqual({ name, exists: true });
      const options = new Set(command?.options.map((o) => o.long));
      for (const flag of (args ?? '').match(/--[a-z][\w-]*/g) ?? []) {
        expect({ name, flag, exists: options.has(flag) }).toEqual({ name, flag, exists: true });
      }
    }
    // history first (event.ingested = event time), then the scenarios live
    expect(script.indexOf('--ingested event')).toBeLessThan(script.indexOf('--scenarios'));
    expect(script).toMatch(/kdw generate --scenarios \| kdw replay - --now/);
  });

  it('runs the worker as `kdw run`, the command the image starts by default', () => {
    expect(program.commands.map((c) => c.name())).toContain('run');
    expect(read('Dockerfile')).toMatch(/^CMD \["run"\]$/m);
  });
});
