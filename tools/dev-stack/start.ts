// `npm start`: the whole of fepa on one machine with embedded defaults. Ctrl-C stops it cleanly.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { createLogger } from '../../platform/config/logger.js';
import { stopWhenParentGone } from '../../platform/config/parent-lifeline.js';
import { loadSettings, type Settings } from '../../platform/config/settings.js';
import { startEmbeddedPostgres } from '../../platform/storage/embedded-postgres.js';
import { ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import { provideMasterKey } from './dev-master-key.js';
import { allowSimulatorAsPac, ProcessGroup, waitForHttp } from './process-group.js';
import { withWorkerMemoryTuning } from '../../worker/memory-tuning.js';
import { startSmtpSink } from './smtp-sink.js';
import { resolveTemporalBinary } from './temporal-binary.js';
import { startTemporalDevServer } from './temporal-dev-server.js';
import { waitForTemporal } from '../../platform/temporal/temporal-readiness.js';

const settings = loadSettings();
stopWhenParentGone();
const log = createLogger(settings, 'start');
/** Stopped in reverse order of start: worker (drains) → API → Temporal → PostgreSQL. */
const group = new ProcessGroup(log);

async function startDatabase(): Promise<{ url: string; mode: string }> {
  if (settings.databaseUrl) {
    const { created, database } = await ensureDatabaseExists(settings.databaseUrl);
    if (created) log.info({ database }, 'created database');
    return { url: settings.databaseUrl, mode: 'external' };
  }
  const dataDir = join(settings.dataDir, 'pglite');
  const embedded = await startEmbeddedPostgres({ dataDir, port: settings.embeddedPgPort });
  group.add('embedded PostgreSQL', () => embedded.stop());
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
  group.add('Temporal dev server', () => server.stop());
  return { address: server.address, uiUrl: server.uiUrl };
}

function printBanner(
  s: Settings,
  log: Logger,
  urls: { api: string; ui: string | undefined; db: string; simulator: string; mail: string },
): void {
  log.info(
    { api: urls.api, temporalUi: urls.ui ?? '(external cluster)', database: urls.db, dataDir: s.dataDir },
    'fepa is up',
  );
  process.stderr.write(
    `\n  fepa is up\n  API          ${urls.api}  (reference ${urls.api}/docs)\n` +
      `  API keys     npx fepa company create --ruc <RUC> --dv <DV> --name <name>  (docs/integration.md)\n` +
      `  Temporal UI  ${urls.ui ?? '(external cluster: use its own UI)'}\n` +
      `  E-mails      ${urls.mail}\n` +
      `  PostgreSQL   ${urls.db}\n  PAC sandbox  ${urls.simulator} (Aludra /aludra, eDoc /edoc/EdocPanama/4.0, HKA /hka, control /_sim)\n` +
      `  Data folder  ${s.dataDir}\n  Ctrl-C stops everything.\n\n`,
  );
}

/**
 * Customers' e-mails go to FEPA_SMTP_URL when it is set; otherwise to a local SMTP sink that shows them on a
 * page (nothing leaves the machine). Returns what the banner says about it.
 */
async function startMailServer(childEnv: NodeJS.ProcessEnv): Promise<string> {
  if (settings.mail.smtpUrl) return `${settings.mail.smtpUrl} (FEPA_SMTP_URL)`;
  const sink = await startSmtpSink({ port: settings.smtpSink.port, webPort: settings.smtpSink.webPort, log });
  group.add('SMTP sink', () => sink.stop());
  childEnv.FEPA_SMTP_URL = sink.smtpUrl;
  log.info({ smtp: sink.smtpUrl, page: sink.webUrl }, 'local SMTP sink running');
  return `${sink.webUrl}  (local SMTP sink at ${sink.smtpUrl}: what receivers would get)`;
}

try {
  await mkdir(settings.dataDir, { recursive: true });
  const database = await startDatabase();
  const applied = await runMigrations(database.url);
  log.info({ applied }, applied.length ? 'migrations applied' : 'schema is up to date');
  const temporal = await startTemporal();
  const masterKeyEnv = await provideMasterKey(settings, log);

  const childEnv: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: database.url,
    TEMPORAL_ADDRESS: temporal.address,
    LOG_FORMAT: settings.logFormat,
    ...masterKeyEnv,
    ...allowSimulatorAsPac(settings),
  };
  const mail = await startMailServer(childEnv);
  group.startNode('PAC simulator', 'tools/pac-simulator/main.ts', childEnv, 10_000);
  await waitForHttp(`${settings.simulatorUrl}/healthz`, 60_000);
  group.startNode('API', 'api/main.ts', childEnv, 10_000);
  group.startNode(
    'worker',
    'worker/main.ts',
    withWorkerMemoryTuning(childEnv),
    settings.shutdownGraceMs + 5_000,
  );
  const apiUrl = `http://${settings.apiHost}:${settings.apiPort}`;
  await waitForHttp(`${apiUrl}/healthz`, 60_000);
  printBanner(settings, log, {
    api: apiUrl,
    ui: temporal.uiUrl,
    db: database.mode === 'embedded' ? `embedded (${database.url})` : 'DATABASE_URL',
    simulator: settings.simulatorUrl,
    mail,
  });
} catch (err) {
  log.error({ err }, 'fepa could not start');
  await group.shutdown(1);
}
