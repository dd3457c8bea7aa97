import { join } from 'node:path';
import type { Client } from '@elastic/elasticsearch';
import { createEsClient } from '../../src/es/client';
import { readConnectionFile, type LocalConnection } from '../../src/es/connection';

export const REPO_ROOT = join(__dirname, '..', '..');
export const CONNECTION_FILE = join(REPO_ROOT, '.kdw', 'connection.env');

let cached: LocalConnection | undefined;

/**
 * The Elasticsearch that test/helpers/globalSetup.ts started or found. Throws (never skips) when there is
 * none, with the command that gets one.
 */
export function testConnection(): LocalConnection {
  if (cached === undefined) {
    try {
      cached = readConnectionFile(CONNECTION_FILE);
    } catch (err) {
      const why = err instanceof Error ? err.message : String(err);
      throw new Error(
        `integration tests need a real Elasticsearch and found none (${why}).\n` +
          'Run "npm run es -- start" (starts a local secured node: needs a JDK 17+ and Maven, or Docker), ' +
          'or set ES_URL, ES_USERNAME, ES_PASSWORD and ES_CA_CERT to an existing cluster.',
      );
    }
  }
  return cached;
}

const clients: Client[] = [];

/** A client as kdw's least-privilege user: what kdw itself runs as. */
export function kdwClient(): Client {
  const client = createEsClient(testConnection().kdw);
  clients.push(client);
  return client;
}

/** A superuser client, for fixtures and clean-up only. */
export function adminClient(): Client {
  const client = createEsClient(testConnection().admin);
  clients.push(client);
  return client;
}

export async function closeClients(): Promise<void> {
  await Promise.allSettled(clients.splice(0).map((c) => c.close()));
}

/** A name no other test (or earlier run) uses: lower case, safe in index names and data stream namespaces. */
export function uniqueName(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
}
