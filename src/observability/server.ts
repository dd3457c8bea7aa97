import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';
import type { Logger } from './logger';

export interface HttpEndpoint {
  readonly port: number;
  /** idempotent */
  close(): Promise<void>;
}

export interface HttpEndpointOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  /** ready once templates are installed and rules scheduled */
  readonly isReady: () => boolean;
  /** alive until shutdown begins */
  readonly isAlive: () => boolean;
  readonly logger: Logger;
}

/** /healthz, /readyz and Prometheus /metrics on node:http. Resolves once listening. */
export async function startHttpEndpoint(options: HttpEndpointOptions): Promise<HttpEndpoint> {
  const server: Server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const plain = (status: number, body: string): void => {
      res.writeHead(status, { 'content-type': 'text/plain; charset=utf-8' });
      res.end(`${body}\n`);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') return plain(405, 'method not allowed');
    if (path === '/healthz') return options.isAlive() ? plain(200, 'ok') : plain(503, 'shutting down');
    if (path === '/readyz') return options.isReady() ? plain(200, 'ready') : plain(503, 'not ready');
    if (path === '/metrics') {
      options.registry.metrics().then(
        (text) => {
          res.writeHead(200, { 'content-type': options.registry.contentType });
          res.end(text);
        },
        (err: unknown) => plain(500, err instanceof Error ? err.message : String(err)),
      );
      return undefined;
    }
    return plain(404, 'not found: try /healthz, /readyz or /metrics');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  options.logger.info(
    `HTTP endpoint listening on http://${options.host}:${port} (/healthz, /readyz, /metrics)`,
    {
      url: { port },
    },
  );
  let closing: Promise<void> | undefined;
  return {
    port,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      return closing;
    },
  };
}
