import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { connectionFromEnv, readConnectionFile, type EsConnectionSettings } from '../es/connection';

/**
 * The two users `kdw test` needs: one that may create the throw-away fixture indices under logs-* (ES_URL's
 * credentials, which are the cluster's admin; else the local node's admin from .kdw/connection.env), and kdw's
 * own least-privilege user that runs the rule (KDW_ES_USERNAME/KDW_ES_PASSWORD with ES_URL, else the local
 * node's kdw user; with ES_URL and no kdw user, the admin runs the rule too).
 */
export function testConnections(
  env: NodeJS.ProcessEnv,
  repoRoot: string,
): { admin: EsConnectionSettings; kdw: EsConnectionSettings } {
  const fromEnv = connectionFromEnv(env);
  if (fromEnv !== undefined) {
    const username = env['KDW_ES_USERNAME'];
    const password = env['KDW_ES_PASSWORD'];
    const kdw =
      username !== undefined && username !== '' && password !== undefined && password !== ''
        ? { ...fromEnv, auth: { username, password } }
        : fromEnv;
    return { admin: fromEnv, kdw };
  }
  const file = join(repoRoot, '.kdw', 'connection.env');
  if (existsSync(file)) {
    const local = readConnectionFile(file);
    return { admin: local.admin, kdw: local.kdw };
  }
  throw new ConfigError(
    'kdw test needs an Elasticsearch and a user that may create indices under logs-*: set ES_URL with ' +
      "ES_USERNAME/ES_PASSWORD (and KDW_ES_USERNAME/KDW_ES_PASSWORD for kdw's own user), " +
      'or start a local one with "npm run es -- start"',
    { key: 'ES_URL' },
  );
}
