import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { PgliteWireServer } from './pglite-wire-server.js';

export interface EmbeddedPostgres {
  /** A postgres:// URL any postgres.js client (API, worker, migrations) connects to unchanged. */
  url: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL compiled to WASM (PGlite), served on a local TCP port by its socket server, with its data
 * in `dataDir` so documents survive restarts. For machines without a PostgreSQL server; not for production.
 */
export async function startEmbeddedPostgres(options: {
  dataDir: string;
  port: number;
  host?: string;
}): Promise<EmbeddedPostgres> {
  await mkdir(options.dataDir, { recursive: true });
  const db = await PGlite.create(options.dataDir);
  const host = options.host ?? '127.0.0.1';
  const server = new PgliteWireServer(db);
  const actualPort = await server.listen(options.port, host);
  return {
    url: `postgres://postgres@${host}:${actualPort}/postgres`,
    async stop() {
      await server.close();
      await db.close();
    },
  };
}
