import { readFileSync } from 'node:fs';
import { Client, type ClientOptions } from '@elastic/elasticsearch';
import { ConfigError } from '../errors';
import type { EsConnectionSettings } from './connection';
import { toEsError } from './errors';

/**
 * The one place that constructs an Elasticsearch client. Everything else receives a Client as a parameter,
 * which keeps the core testable without a server and the integration tests honest.
 */
export function createEsClient(settings: EsConnectionSettings): Client {
  const options: ClientOptions = {
    node: settings.url,
    requestTimeout: settings.requestTimeoutMs,
    maxRetries: settings.maxRetries,
    // kdw never needs node sniffing: it talks to one endpoint (a load balancer or a coordinating node).
    sniffOnStart: false,
  };
  if (settings.auth !== undefined) options.auth = settings.auth;
  const tls: NonNullable<ClientOptions['tls']> = { rejectUnauthorized: settings.tlsVerify };
  if (settings.caCertPath !== undefined) {
    try {
      tls.ca = readFileSync(settings.caCertPath);
    } catch (err) {
      throw new ConfigError(`cannot read the CA certificate ES_CA_CERT=${settings.caCertPath}`, {
        key: 'ES_CA_CERT',
        file: settings.caCertPath,
        cause: err instanceof Error ? err.message : String(err),
      });
    }
  }
  options.tls = tls;
  return new Client(options);
}

/**
 * Fails fast, with a typed error that names the URL, when the cluster cannot be reached or refuses the
 * credentials: commands check this once before their real work, so the user sees one clear message.
 */
export async function assertReachable(client: Client, url: string): Promise<void> {
  try {
    await client.cluster.health();
  } catch (err) {
    throw toEsError(err, 'connect to Elasticsearch', { url });
  }
}
