import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import type { Logger } from 'pino';
import { ALL_SEARCH_ATTRIBUTES, searchAttributeFlags } from '../../common/search-attributes.js';
import { spawnManaged } from './managed-process.js';
import { INSTALL_HELP, type TemporalBinary } from './temporal-binary.js';
import { waitForTemporal } from '../../platform/temporal/temporal-readiness.js';

export interface DevServerOptions {
  binary: TemporalBinary;
  port: number;
  /** Omit for a headless server (tests). */
  uiPort?: number;
  /** SQLite file that keeps history across restarts; omit for an in-memory server. */
  dbFile?: string;
  namespace: string;
  logFile: string;
  cacheDir: string;
  log: Logger;
}

export interface RunningDevServer {
  address: string;
  uiUrl: string | undefined;
  /** The server's process (undefined when the SDK runs it). */
  pid?: number | undefined;
  stop(): Promise<void>;
}

/** Starts `temporal server start-dev` with fepa's search attributes and waits until it answers. */
export async function startTemporalDevServer(options: DevServerOptions): Promise<RunningDevServer> {
  const address = `127.0.0.1:${options.port}`;
  const uiUrl = options.uiPort === undefined ? undefined : `http://127.0.0.1:${options.uiPort}`;
  if (options.dbFile) await mkdir(dirname(options.dbFile), { recursive: true });
  await mkdir(dirname(options.logFile), { recursive: true });

  if (options.binary.kind === 'sdk-download') return startThroughSdkDownload(options, address, uiUrl);

  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(options.port),
    '--namespace',
    options.namespace,
    '--log-format',
    'json',
    '--log-level',
    'warn',
    ...searchAttributeFlags().flatMap((flag) => ['--search-attribute', flag]),
    ...(options.uiPort === undefined ? ['--headless'] : ['--ui-port', String(options.uiPort)]),
    ...(options.dbFile ? ['--db-filename', options.dbFile] : []),
  ];
  options.log.info(
    { binary: options.binary.path, address, uiUrl, dbFile: options.dbFile },
    'starting Temporal dev server',
  );
  const server = spawnManaged('temporal', options.binary.path, args, { logFile: options.logFile });
  const died = server.exited.then((code) => {
    throw new Error(`Temporal dev server exited early (${code}); see ${options.logFile}`);
  });
  await Promise.race([waitForTemporal(address, 60_000), died]);
  died.catch(() => {}); // after start-up, an exit is reported by whoever owns the server
  return {
    address,
    uiUrl,
    pid: server.child.pid,
    async stop() {
      await server.stop('SIGTERM', 10_000);
    },
  };
}

async function startThroughSdkDownload(
  options: DevServerOptions,
  address: string,
  uiUrl: string | undefined,
): Promise<RunningDevServer> {
  options.log.info('asking the Temporal SDK to download the dev server');
  try {
    const env = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download', downloadDir: options.cacheDir },
        ip: '127.0.0.1',
        port: options.port,
        namespace: options.namespace,
        ui: options.uiPort !== undefined,
        ...(options.uiPort === undefined ? {} : { uiPort: options.uiPort }),
        ...(options.dbFile ? { dbFilename: options.dbFile } : {}),
        searchAttributes: [...ALL_SEARCH_ATTRIBUTES],
      },
    });
    return { address, uiUrl, stop: () => env.teardown() };
  } catch (err) {
    const reason = err instanceof Error ? err.message : String(err);
    throw new Error(`Could not obtain a Temporal dev server (${reason}).\n${INSTALL_HELP}`, { cause: err });
  }
}
