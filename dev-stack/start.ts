// `npm start`: the whole of fepa on one machine with embedded defaults. Ctrl-C stops it cleanly.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from '../config/logger.js';
import { loadSettings, PROJECT_ROOT, type Settings } from '../config/settings.js';
import { startEmbeddedPostgres } from '../storage/embedded-postgres.js';
import { ensureDatabaseExists } from '../storage/ensure-database.js';
import { runMigrations } from '../storage/migrate.js';
import { resolveMasterKey } from '../secrets/master-key.js';
import { spawnManaged, type ManagedProcess } from './managed-process.js';
import { resolveTemporalBinary } from './temporal-binary.js';
import { startTemporalDevServer } from './temporal-dev-server.js';
import { waitForTemporal } from './temporal-readiness.js';

type Stopper = { name: string; stop: () => Promise<unknown> };

const settings = loadSettings();
const log = createLogger(settings, 'start');
/** Stopped in reverse order of start: worker (drains) → API → Temporal → PostgreSQL. */
const stoppers: Stopper[] = [];
let shuttingDown = false;

async function startDatabase(): Promise<{ url: string; mode: string }> {
  if (settings.databaseUrl) {
    const { created, database } = await ensureDatabaseExists(settings.databaseUrl);
    if (created) log.info({ database }, 'created database');
    return { url: settings.databaseUrl, mode: 'external' };
  }
  const dataDir = join(settings.dataDir, 'pglite');
  const embedded = await startEmbeddedPostgres({ dataDir, port: settings.embeddedPgPort });
  stoppers.push({ name: 'embedded PostgreSQL', stop: () => embedded.stop() });
  log.info({ dataDir, url: embedded.url }, 'embedded PostgreSQL (PGlite) running');
  return { url: embedded.url, mode: 'embedded' };
}

async function startTemporal(): Promise<{ address: string; uiUrl: string | undefined }> {
  if (settings.temporalAddress) {
    await waitForTemporal(settings.temporalAddress, 30_000);
    log.info({ address: settings.temporalAddress }, 'using the Temporal cluster at TEMPORAL_ADDRESS');
    return { address: settings.temporalAddress, uiUrl: undefined };
  }
  const binary = await resolveTemporalBinary({
    cliPath: settings.temporalCliPath,
    cacheDir: settings.cacheDir,
    log,
  });
  const server = await startTemporalDevServer({
    binary,
    port: settings.temporalDevPort,
    uiPort: settings.temporalUiPort,
    dbFile: join(settings.dataDir, 'temporal', 'dev.db'),
    namespace: settings.temporalNamespace,
    logFile: join(settings.dataDir, 'logs', 'temporal-server.log'),
    cacheDir: settings.cacheDir,
    log,
  });
  stoppers.push({ name: 'Temporal dev server', stop: () => server.stop() });
  return { address: server.address, uiUrl: server.uiUrl };
}

function startNodeProcess(
  name: string,
  entry: string,
  env: NodeJS.ProcessEnv,
  graceMs: number,
): ManagedProcess {
  const child = spawnManaged(name, process.execPath, ['--import', 'tsx', join(PROJECT_ROOT, entry)], {
    env,
    cwd: PROJECT_ROOT,
  });
  stoppers.push({ name, stop: () => child.stop('SIGTERM', graceMs) });
  void child.exited.then((code) => {
    if (!shuttingDown) {
      log.error({ process: name, code }, `${name} exited unexpectedly; stopping everything`);
      void shutdown(1);
    }
  });
  return child;
}

/**
 * Secrets at rest are sealed with a master key. Without FEPA_MASTER_KEY(_FILE), a fresh machine gets a
 * generated key file in the data folder, with a warning: fine for trying fepa, not for production.
 */
async function provideMasterKey(): Promise<NodeJS.ProcessEnv> {
  if (settings.masterKey || settings.masterKeyFile) return {};
  const file = join(settings.dataDir, 'master.key');
  const { source } = await resolveMasterKey({ value: undefined, file, createIfMissing: true });
  log.warn(
    { file, generated: source === 'generated' },
    'FEPA_MASTER_KEY is not set: secrets are sealed with the key file in the data folder. Set FEPA_MASTER_KEY in production and keep it outside the data.',
  );
  return { FEPA_MASTER_KEY_FILE: file };
}

async function waitForHttp(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${url} did not answer within ${timeoutMs} ms`);
}

let stopping: Promise<number> | undefined;

/** Stops every child in reverse start order, once; a second call waits for the first. */
async function shutdown(exitCode: number): Promise<never> {
  shuttingDown = true;
  stopping ??= (async () => {
    log.info('stopping fepa (the worker drains first)');
    const order: string[] = [];
    for (const stopper of [...stoppers].reverse()) {
      try {
        await stopper.stop();
        order.push(stopper.name);
        log.info(`${stopper.name} stopped`);
      } catch (err) {
        log.error({ err }, `${stopper.name} did not stop cleanly`);
        exitCode = 1;
      }
    }
    log.info({ order }, 'fepa stopped');
    return exitCode;
  })();
  process.exit(await stopping);
}

function printBanner(
  s: Settings,
  log: Logger,
  urls: { api: string; ui: string | undefined; db: string; simulator: string },
): void {
  log.info(
    { api: urls.api, temporalUi: urls.ui ?? '(external cluster)', database: urls.db, dataDir: s.dataDir },
    'fepa is up',
  );
  process.stderr.write(
    `\n  fepa is up\n  API          ${urls.api}  (reference ${urls.api}/docs)\n` +
      `  API keys     npx fepa company create --ruc <RUC> --dv <DV> --name <name>  (docs/integration.md)\n` +
      `  Temporal UI  ${urls.ui ?? '(external cluster: use its own UI)'}\n` +
      `  PostgreSQL   ${urls.db}\n  PAC sandbox  ${urls.simulator} (Aludra /aludra, eDoc /edoc/EdocPanama/4.0, control /_sim)\n` +
      `  Data folder  ${s.dataDir}\n  Ctrl-C stops everything.\n\n`,
  );
}

process.once('SIGINT', () => void shutdown(0));
process.once('SIGTERM', () => void shutdown(0));

try {
  await mkdir(settings.dataDir, { recursive: true });
  const database = await startDatabase();
  const applied = await runMigrations(database.url);
  log.info({ applied }, applied.length ? 'migrations applied' : 'schema is up to date');
  const temporal = await startTemporal();
  const masterKeyEnv = await provideMasterKey();

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_FORMAT: settings.logFormat,
    ...masterKeyEnv,
  };
  startNodeProcess('PAC simulator', 'pac-simulator/main.ts', childEnv, 10_000);
  await waitForHttp(`${settings.simulatorUrl}/healthz`, 60_000);
  startNodeProcess('API', 'api/main.ts', childEnv, 10_000);
  startNodeProcess('worker', 'worker/main.ts', childEnv, settings.shutdownGraceMs + 5_000);
  const apiUrl = `http://${settings.apiHost}:${settings.apiPort}`;
  await waitForHttp(`${apiUrl}/healthz`, 60_000);
  printBanner(settings, log, {
    api: apiUrl,
    ui: temporal.uiUrl,
    db: database.mode === 'embedded' ? `embedded (${database.url})` : 'DATABASE_URL',
    simulator: settings.simulatorUrl,
  });
} catch (err) {
  log.error({ err }, 'fepa could not start');
  await shutdown(1);
}
