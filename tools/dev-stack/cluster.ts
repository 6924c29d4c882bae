// `npm run cluster`: fepa on the production topology, on this machine. A Temporal cluster on PostgreSQL
// (frontend, history, matching and worker as separate processes), the sandbox PAC, and several fepa
// workers and API processes. Ctrl-C stops everything (APIs, then workers drain, then Temporal).
import { buildCompiled } from './node-entry.js';
import { withWorkerMemoryTuning } from '../../worker/memory-tuning.js';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../../platform/config/logger.js';
import { stopWhenParentGone } from '../../platform/config/parent-lifeline.js';
import { loadSettings } from '../../platform/config/settings.js';
import { ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import { provideMasterKey } from './dev-master-key.js';
import { allowSimulatorAsPac, ProcessGroup, waitForHttp } from './process-group.js';
import { startTemporalCluster } from './temporal-cluster.js';
import { clusterDatabaseFrom } from './temporal-cluster-database.js';
import {
  resolveTemporalServer,
  resolveTemporalUi,
  TEMPORAL_SERVER_VERSION,
} from './temporal-server-binary.js';
import { startTemporalUi } from './temporal-ui.js';

const settings = loadSettings();
stopWhenParentGone();
const log = createLogger(settings, 'cluster');
const group = new ProcessGroup(log);

/** fepa's database; the cluster's two databases are named after it on the same server. */
const databaseUrl = settings.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/fepa';

try {
  await mkdir(settings.dataDir, { recursive: true });
  const { created, database } = await ensureDatabaseExists(databaseUrl);
  if (created) log.info({ database }, 'created database');
  const applied = await runMigrations(databaseUrl);
  log.info({ applied }, applied.length ? 'migrations applied' : 'schema is up to date');

  const binaries = await resolveTemporalServer({ cacheDir: settings.cacheDir, log });
  const cluster = await startTemporalCluster({
    binaries,
    database: clusterDatabaseFrom(databaseUrl, {
      temporal: `${database}_temporal`,
      visibility: `${database}_temporal_visibility`,
    }),
    historyShards: settings.cluster.historyShards,
    basePort: settings.cluster.basePort,
    namespace: settings.temporalNamespace,
    dir: join(settings.dataDir, 'cluster'),
    log,
  });
  group.add('Temporal cluster', () => cluster.stop());

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: cluster.address,
    LOG_FORMAT: settings.logFormat,
    ...(await provideMasterKey(settings, log)),
    ...allowSimulatorAsPac(settings),
  };
  group.startNode('PAC simulator', 'tools/pac-simulator/main.ts', env, 10_000);
  await waitForHttp(`${settings.simulatorUrl}/healthz`, 60_000);
  // Workers and APIs run compiled (no tsx loader in the process): the production shape, and less memory.
  await buildCompiled(log);
  for (let i = 1; i <= settings.cluster.workers; i++)
    group.startNode(
      `worker ${i}`,
      'worker/main.ts',
      withWorkerMemoryTuning(env),
      settings.shutdownGraceMs + 5_000,
      { compiled: true },
    );
  const apis: string[] = [];
  for (let i = 0; i < settings.cluster.apis; i++) {
    const port = settings.apiPort + i;
    group.startNode(`API ${i + 1}`, 'api/main.ts', { ...env, FEPA_API_PORT: String(port) }, 10_000, {
      compiled: true,
    });
    apis.push(`http://${settings.apiHost}:${port}`);
  }
  for (const api of apis) await waitForHttp(`${api}/readyz`, 60_000);
  const ui = await startTemporalUi({
    binary: await resolveTemporalUi({ cacheDir: settings.cacheDir, log }),
    temporalAddress: cluster.address,
    host: settings.apiHost,
    port: settings.temporalUiPort,
    namespace: settings.temporalNamespace,
    dir: join(settings.dataDir, 'cluster', 'ui'),
    log,
  });
  group.add('Temporal UI', ui.stop);

  log.info(
    {
      temporal: cluster.address,
      version: TEMPORAL_SERVER_VERSION,
      historyShards: settings.cluster.historyShards,
      services: Object.fromEntries(Object.entries(cluster.services).map(([s, p]) => [s, p.child.pid])),
      workers: settings.cluster.workers,
      apis,
      temporalUi: ui.url,
    },
    'fepa cluster is up',
  );
  process.stderr.write(
    `\n  fepa cluster is up (Temporal ${TEMPORAL_SERVER_VERSION}, ${settings.cluster.historyShards} history shards, PostgreSQL)\n` +
      `  APIs         ${apis.join('  ')}\n` +
      `  Temporal     ${cluster.address}  (frontend, history, matching, worker: one process each; logs in ${join(settings.dataDir, 'cluster', 'logs')})\n` +
      `  Temporal UI  ${ui.url}  (the cluster's own; the Temporal CLI works too: --address ${cluster.address})\n` +
      `  PAC sandbox  ${settings.simulatorUrl}\n  Ctrl-C stops everything.\n\n`,
  );
} catch (err) {
  log.error({ err }, 'the cluster could not start');
  await group.shutdown(1);
}
