import { connectionFromEnv, parseConnectionFile } from '../../src/es/connection';
import { ConfigError, KdwError, redact } from '../../src/errors';

describe('connectionFromEnv', () => {
  it('is undefined without ES_URL', () => {
    expect(connectionFromEnv({})).toBeUndefined();
  });

  it('reads URL, user, password, CA and defaults', () => {
    expect(
      connectionFromEnv({
        ES_URL: 'https://es:9200/',
        ES_USERNAME: 'kdw',
        ES_PASSWORD: 'pw123456',
        ES_CA_CERT: '/ca.crt',
      }),
    ).toEqual({
      url: 'https://es:9200',
      auth: { username: 'kdw', password: 'pw123456' },
      caCertPath: '/ca.crt',
      tlsVerify: true,
      requestTimeoutMs: 30000,
      maxRetries: 3,
    });
  });

  it.each([
    [{ ES_URL: 'not a url' }, 'ES_URL is not a URL: "not a url" (from environment)'],
    [{ ES_URL: 'ftp://es' }, 'ES_URL must start with https:// or http:// (from environment)'],
    [
      { ES_URL: 'https://u:p@es' },
      'ES_URL must not carry credentials; use ES_USERNAME/ES_PASSWORD or ES_API_KEY (from environment)',
    ],
    [
      { ES_URL: 'https://es', ES_USERNAME: 'u', ES_API_KEY: 'k' },
      'set either ES_USERNAME/ES_PASSWORD or ES_API_KEY, not both (from environment)',
    ],
    [
      { ES_URL: 'https://es', ES_USERNAME: 'u' },
      'ES_USERNAME is set but ES_PASSWORD is empty (from environment)',
    ],
    [
      { ES_URL: 'https://es', ES_TLS_VERIFY: 'no' },
      'ES_TLS_VERIFY must be true or false, got "no" (from environment)',
    ],
  ])('rejects %j', (env, message) => {
    expect(() => connectionFromEnv(env)).toThrow(new ConfigError(message));
  });
});

describe('parseConnectionFile', () => {
  const text = [
    '# comment',
    'KDW_ES_MODE=local',
    'ES_URL=https://127.0.0.1:9201',
    "ES_CA_CERT='/path with space/ca.crt'",
    'ES_ADMIN_USERNAME=kdw-admin',
    'ES_ADMIN_PASSWORD=adminpw',
    'ES_USERNAME=kdw',
    'ES_PASSWORD=kdwpw',
    'ES_VERSION=8.19.21',
  ].join('\n');

  it('gives both users over the same URL and CA', () => {
    const conn = parseConnectionFile(text, 'x.env');
    expect(conn.mode).toBe('local');
    expect(conn.version).toBe('8.19.21');
    expect(conn.kdw.auth).toEqual({ username: 'kdw', password: 'kdwpw' });
    expect(conn.admin.auth).toEqual({ username: 'kdw-admin', password: 'adminpw' });
    expect(conn.kdw.caCertPath).toBe('/path with space/ca.crt');
  });

  it('names the missing key and the fix', () => {
    expect(() => parseConnectionFile('KDW_ES_MODE=local', 'x.env')).toThrow(
      'x.env: missing ES_URL; run "npm run es -- start" again',
    );
  });
});

describe('redact', () => {
  it.each([
    ['https://kdw:s3cret@es:9200/_search', 'https://kdw:***@es:9200/_search'],
    ['{"password":"hunter22"}', '{"password":"***"}'],
    ['Authorization: Basic a2R3OnNlY3JldA==', 'Authorization: Basic ***'],
    ['api_key=VnVhQ2ZHY0JDZGJrUW', 'api_key=***'],
    ['nothing secret here', 'nothing secret here'],
  ])('%s', (input, output) => {
    expect(redact(input)).toBe(output);
  });

  it('applies to error messages and context', () => {
    const err = new KdwError('x', 'connect https://u:pw@h failed', { password: 'pw', url: 'https://u:pw@h' });
    expect(err.message).toBe('connect https://u:***@h failed');
    expect(err.context).toEqual({ password: '***', url: 'https://u:***@h' });
  });
});
