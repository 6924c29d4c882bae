import { createServer, type Server } from 'node:http';
import { collectDefaultMetrics, Registry } from 'prom-client';

/** A registry with the process's own metrics (CPU, memory, event loop lag, handles). */
export function processRegistry(service: 'api' | 'worker'): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service });
  collectDefaultMetrics({ register: registry });
  return registry;
}

/**
 * Serves GET /metrics on its own address, apart from the API (tenants never reach it): the registry, then
 * `more` (the Temporal SDK's own exposition, read from its exporter) when given.
 */
export async function startMetricsServer(options: {
  host: string;
  port: number;
  registry: Registry;
  more?: () => Promise<string>;
  onError: (err: unknown) => void;
}): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('only GET /metrics here\n');
      return;
    }
    void (async () => {
      try {
        const own = await options.registry.metrics();
        const more = options.more
          ? await options.more().catch((err: unknown) => {
              options.onError(err);
              return '';
            })
          : '';
        res.writeHead(200, { 'content-type': options.registry.contentType }).end(`${own}\n${more}`);
      } catch (err) {
        options.onError(err);
        res.writeHead(500, { 'content-type': 'text/plain' }).end('metrics could not be read\n');
      }
    })();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}

/** The Temporal SDK's exposition, from the exporter the worker's runtime serves on `address`. */
export const sdkMetricsFrom = (address: string) => async (): Promise<string> => {
  const res = await fetch(`http://${address}/metrics`, { signal: AbortSignal.timeout(5_000) });
  if (!res.ok) throw new Error(`the Temporal SDK's metrics answered ${res.status}`);
  return res.text();
};
