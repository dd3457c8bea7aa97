import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '../errors';
import { connectionFromEnv, readConnectionFile, type EsConnectionSettings } from '../es/connection';

/**
 * The Elasticsearch a CLI command talks to: ES_URL (+ ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERT)
 * when set, else the local node that scripts/elasticsearch.sh started (.kdw/connection.env, as user kdw).
 */
export function resolveConnection(env: NodeJS.ProcessEnv, repoRoot: string): EsConnectionSettings {
  const fromEnv = connectionFromEnv(env);
  if (fromEnv !== undefined) return fromEnv;
  const file = join(repoRoot, '.kdw', 'connection.env');
  if (existsSync(file)) return readConnectionFile(file).kdw;
  throw new ConfigError(
    'no Elasticsearch configured: set ES_URL (and ES_USERNAME/ES_PASSWORD or ES_API_KEY, ES_CA_CERT), ' +
      'or start a local one with "npm run es -- start"',
    { key: 'ES_URL' },
  );
}
