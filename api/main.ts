// The API process: one Temporal client and one database pool for every request.
import type { Server } from 'node:http';
import { Client, Connection } from '@temporalio/client';
import { serviceProcess } from '../platform/config/service-process.js';
import { ApiKeyService } from '../app/services/api-key-service.js';
import { CertificateService } from '../app/services/certificate-service.js';
import { DocumentService } from '../app/services/document-service.js';
import { startOrphanSweeper } from '../app/services/orphan-sweeper.js';
import { secretBoxFromSettings } from '../app/services/secret-box-from-settings.js';
import { connectDatabase } from '../platform/storage/database.js';
import { purgeExpiredIdempotentRequests } from '../platform/storage/idempotency-store.js';
import { buildApp } from './server.js';
import { processRegistry, startMetricsServer } from '../platform/metrics/metrics-server.js';
import { registerStateMetrics } from '../platform/metrics/state-metrics.js';

const { settings, log, databaseUrl, temporalAddress: address } = serviceProcess('api');

const sql = connectDatabase(databaseUrl, { max: 5 });
const connection = await Connection.connect({ address });
const client = new Client({ connection, namespace: settings.temporalNamespace });
const box = await secretBoxFromSettings(settings);
const certificates = new CertificateService(sql, box, settings.certificateExpiryWarningDays);
const documents = new DocumentService({
  sql,
  client,
  ...(settings.documentTimings ? { timings: settings.documentTimings } : {}),
});
const app = buildApp({
  client,
  sql,
  log,
  namespace: settings.temporalNamespace,
  certificates,
  documents,
  keys: new ApiKeyService(sql),
  box,
  bodyLimitBytes: settings.apiBodyLimitBytes,
  rateLimit: { perMinute: settings.apiRateLimitPerMinute, burst: settings.apiRateLimitBurst },
  webhookAllowedHosts: settings.webhookAllowedHosts,
  pacAllowedHosts: settings.pacAllowedHosts,
  mailAllowedHosts: settings.mailAllowedHosts,
  webhookSecretOverlapHours: settings.webhookSecretOverlapHours,
  trustProxy: settings.apiTrustProxy,
  cafePacLegends: settings.cafePacLegends,
});

// Stored idempotent answers are kept 24 h; older ones are deleted hourly (and on reuse of their key).
const purge = setInterval(() => {
  purgeExpiredIdempotentRequests(sql)
    .then((purged) => purged && log.info({ purged }, 'expired idempotent answers deleted'))
    .catch((err: unknown) => log.warn({ err }, 'could not delete expired idempotent answers'));
}, 3_600_000);
purge.unref();

// A document whose row committed but whose workflow never started (a crash in between) is started here.
const orphans = startOrphanSweeper(documents, log, 60_000);

// Prometheus, on its own address (docs/operations.md): the process and fepa's state, read when scraped.
let metrics: Server | undefined;
if (settings.metrics.apiPort) {
  const registry = processRegistry('api');
  registerStateMetrics(registry, sql);
  metrics = await startMetricsServer({
    host: settings.metrics.host,
    port: settings.metrics.apiPort,
    registry,
    onError: (err) => log.warn({ err }, 'a metrics scrape failed'),
  });
  log.info({ url: `http://${settings.metrics.host}:${settings.metrics.apiPort}/metrics` }, 'metrics served');
}

const server: Server = app.listen(settings.apiPort, settings.apiHost, () => {
  log.info({ url: `http://${settings.apiHost}:${settings.apiPort}` }, 'API listening');
});

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  log.info({ signal }, 'API stopping');
  orphans.stop();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  metrics?.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  log.info('API stopped');
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    void shutdown(signal).then(() => process.exit(0));
  });
}
