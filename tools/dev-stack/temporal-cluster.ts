import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import type { Logger } from 'pino';
import { connectDatabase } from '../../platform/storage/database.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import {
  clusterConfigYaml,
  dynamicConfigYaml,
  frontendAddress,
  TEMPORAL_SERVICES,
  type ClusterDatabase,
  type TemporalService,
} from './temporal-cluster-config.js';
import { migrateClusterDatabases } from './temporal-cluster-database.js';
import { ensureSearchAttributes, waitForTemporal } from '../../platform/temporal/temporal-readiness.js';
import type { TemporalServerBinaries } from './temporal-server-binary.js';

export interface ClusterOptions {
  binaries: TemporalServerBinaries;
  database: ClusterDatabase;
  historyShards: number;
  basePort: number;
  namespace: string;
  /** Run folder: the generated configuration and one log file per service. */
  dir: string;
  log: Logger;
}

export interface RunningCluster {
  address: string;
  /** The live process of each service (replaced by `restart`). */
  services: Record<TemporalService, ManagedProcess>;
  /** Starts a service again (after a crash or a deliberate kill). */
  restart(service: TemporalService): ManagedProcess;
  /** Stops the services: frontend first (no new calls), then worker, matching, history. */
  stop(): Promise<void>;
}

/**
 * A Temporal cluster on PostgreSQL, each service its own `temporal-server` process, found by the others
 * through the membership table. Migrates the databases, starts the services, waits for the frontend,
 * registers the namespace and fepa's search attributes.
 */
export async function startTemporalCluster(options: ClusterOptions): Promise<RunningCluster> {
  const configDir = join(options.dir, 'config');
  const logDir = join(options.dir, 'logs');
  await mkdir(configDir, { recursive: true });
  await mkdir(logDir, { recursive: true });
  const dynamicConfigFile = join(configDir, 'dynamic.yaml');
  await writeFile(dynamicConfigFile, dynamicConfigYaml());
  await writeFile(
    join(configDir, 'development.yaml'),
    clusterConfigYaml({
      database: options.database,
      historyShards: options.historyShards,
      basePort: options.basePort,
      dynamicConfigFile,
    }),
  );
  await migrateClusterDatabases({
    sqlTool: options.binaries.sqlTool,
    database: options.database,
    log: options.log,
  });

  const spawn = (service: TemporalService) => {
    const logFile = join(logDir, `${service}.log`);
    const child = spawnManaged(
      `temporal ${service}`,
      options.binaries.server,
      [
        '--root',
        options.dir,
        '--config',
        'config',
        '--env',
        'development',
        '--allow-no-auth',
        'start',
        '--service',
        service,
      ],
      { logFile },
    );
    options.log.info({ service, pid: child.child.pid, logFile }, 'Temporal service started');
    return child;
  };
  // History first, alone: on a new database every service tries to write the cluster's metadata and all
  // but one fail on the duplicate, so the others start once it is written.
  const services = {} as Record<TemporalService, ManagedProcess>;
  services.history = spawn('history');
  await waitForClusterMetadata(options.database, services.history, join(logDir, 'history.log'));
  for (const service of ['matching', 'frontend', 'worker'] as const) services[service] = spawn(service);

  const address = frontendAddress(options);
  const running: RunningCluster = {
    address,
    services,
    restart(service) {
      services[service] = spawn(service);
      return services[service];
    },
    async stop() {
      for (const service of ['frontend', 'worker', 'matching', 'history'] as const)
        await services[service].stop('SIGTERM', 15_000);
    },
  };
  try {
    const early = Promise.race(
      TEMPORAL_SERVICES.map((s) =>
        services[s].exited.then(async (code) => {
          throw new Error(
            `Temporal ${s} exited during start-up (${code}); see ${join(logDir, `${s}.log`)}:\n${await logTail(join(logDir, `${s}.log`))}`,
          );
        }),
      ),
    );
    early.catch(() => {});
    await Promise.race([waitForTemporal(address, 120_000), early]);
    await Promise.race([registerNamespace(address, options.namespace, options.log), early]);
  } catch (err) {
    await running.stop();
    throw err;
  }
  return running;
}

/** The last error lines a service wrote, for a start-up failure's message. */
async function logTail(file: string): Promise<string> {
  const text = await readFile(file, 'utf8').catch(() => '');
  const lines = text.split('\n').filter((l) => /error|fatal|Unable/i.test(l));
  return lines
    .slice(-3)
    .map((l) => l.slice(0, 500))
    .join('\n');
}

async function waitForClusterMetadata(
  db: ClusterDatabase,
  first: ManagedProcess,
  logFile: string,
): Promise<void> {
  const url = new URL(`postgres://127.0.0.1/${encodeURIComponent(db.temporal)}`);
  url.hostname = db.host;
  url.port = String(db.port);
  url.username = db.user;
  url.password = db.password;
  const sql = connectDatabase(url.toString(), { max: 1 });
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      const [row] = await sql`select 1 from cluster_metadata_info limit 1`;
      if (row) return;
      if (first.child.exitCode !== null)
        throw new Error(`Temporal ${first.name} exited during start-up; see ${logFile}`);
      if (Date.now() > deadline)
        throw new Error(`Temporal wrote no cluster metadata within 60 s; see ${logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  } finally {
    await sql.end({ timeout: 1 });
  }
}

/** Registers the namespace when missing, waits until the frontend serves it, adds the search attributes. */
async function registerNamespace(address: string, namespace: string, log: Logger): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    try {
      await connection.workflowService.registerNamespace({
        namespace,
        workflowExecutionRetentionPeriod: msToTs('3 days'),
      });
      log.info({ namespace }, 'namespace registered');
    } catch (err) {
      if (!/already exists|AlreadyExists/i.test(String(err))) throw err;
    }
    // A new namespace reaches the frontend's cache within seconds; wait for it rather than fail a first call.
    const deadline = Date.now() + 60_000;
    for (;;) {
      try {
        await connection.workflowService.describeNamespace({ namespace });
        const added = await ensureSearchAttributes(connection, namespace);
        if (added.length) log.info({ namespace, added }, 'search attributes registered');
        await connection.workflowService.countWorkflowExecutions({ namespace, query: 'DocStatus = "x"' });
        return;
      } catch (err) {
        if (Date.now() > deadline) throw err;
        await new Promise((r) => setTimeout(r, 500));
      }
    }
  } finally {
    await connection.close();
  }
}
