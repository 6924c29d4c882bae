// The worker process: runs fepa's workflows and activities until SIGINT/SIGTERM, then drains and exits.
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Runtime } from '@temporalio/worker';
import { serviceProcess } from '../platform/config/service-process.js';
import { ensureSearchAttributes } from '../platform/temporal/temporal-readiness.js';
import { CertificateService } from '../app/services/certificate-service.js';
import { DocumentService } from '../app/services/document-service.js';
import { sweepOrphans } from '../app/services/orphan-sweeper.js';
import { PacRegistry } from '../pac/pac-registry.js';
import { secretBoxFromSettings } from '../app/services/secret-box-from-settings.js';
import { SigningKeyCache } from '../domain/signing/signing-key-cache.js';
import { connectDatabase } from '../platform/storage/database.js';
import { smtpMailSender } from '../platform/mail/mail-sender.js';
import { ensureCertificateExpirySchedule, ensureFolioWatchSchedule } from './daily-schedules.js';
import { createFepaWorkers } from './create-worker.js';
import { temporalLoggerFor } from './runtime-logger.js';
import { logWorkerStatus } from './status-log.js';
import { processRegistry, sdkMetricsFrom, startMetricsServer } from '../platform/metrics/metrics-server.js';
import { PacCallMetrics } from '../platform/metrics/pac-call-metrics.js';

const { settings, log, databaseUrl, temporalAddress: address } = serviceProcess('worker');

// The SDK's own metrics (task slots, latencies, polls) go to its Prometheus exporter, read into ours.
const sdkMetrics = settings.metrics.workerPort ? settings.metrics.temporalAddress : undefined;
Runtime.install({
  logger: temporalLoggerFor(log),
  ...(sdkMetrics ? { telemetryOptions: { metrics: { prometheus: { bindAddress: sdkMetrics } } } } : {}),
});
const metricsRegistry = processRegistry('worker');
const pacCallMetrics = new PacCallMetrics(metricsRegistry);

const sql = connectDatabase(databaseUrl, { max: 5 });
const registration = await Connection.connect({ address });
try {
  const added = await ensureSearchAttributes(registration, settings.temporalNamespace);
  if (added.length) log.info({ added }, 'registered search attributes');
} catch (err) {
  log.warn({ err }, 'could not check search attributes; an operator must register them');
}
try {
  const client = new Client({ connection: registration, namespace: settings.temporalNamespace });
  const outcome = await ensureCertificateExpirySchedule(client, {
    warningDays: settings.certificateExpiryWarningDays,
  });
  log.info({ outcome }, 'certificate expiry watch scheduled daily');
  log.info({ outcome: await ensureFolioWatchSchedule(client) }, 'HKA folio watch scheduled daily');
  // Documents a crash left without a workflow start now (the API also sweeps every minute).
  await sweepOrphans(
    new DocumentService({
      sql,
      client,
      ...(settings.documentTimings ? { timings: settings.documentTimings } : {}),
    }),
    log,
  );
} catch (err) {
  log.warn({ err }, 'could not register the daily schedules');
} finally {
  await registration.close();
}

const box = await secretBoxFromSettings(settings);
const certificates = new CertificateService(sql, box, settings.certificateExpiryWarningDays);
const connection = await NativeConnection.connect({ address });
const createWorkers = () =>
  createFepaWorkers({
    connection,
    namespace: settings.temporalNamespace,
    sql,
    shutdownGraceMs: settings.shutdownGraceMs,
    signingKeys: new SigningKeyCache(certificates.keySource()),
    qrKey: settings.qrKey,
    dgiSchemaDir: settings.dgiSchemaDir,
    pacs: new PacRegistry({
      sql,
      box,
      simulatorUrl: settings.simulatorUrl,
      allowedHosts: settings.pacAllowedHosts,
    }),
    box,
    webhookAllowedHosts: settings.webhookAllowedHosts,
    mailAllowedHosts: settings.mailAllowedHosts,
    pacMaxCallsPerSecond: settings.pacMaxCallsPerSecond,
    maxCachedWorkflows: settings.workerMaxCachedWorkflows,
    maxConcurrentWorkflowTasks: settings.workerMaxConcurrentWorkflowTasks,
    maxConcurrentActivities: settings.workerMaxConcurrentActivities,
    mail: { sender: smtpMailSender(settings.mail), from: settings.mail.from, replyTo: settings.mail.replyTo },
    cafePacLegends: settings.cafePacLegends,
    pacCallMetrics,
  });
// A worker started while Temporal cannot serve the namespace (its own database down, say) waits for it
// instead of exiting (found in chaos runs: a worker restarted during a PostgreSQL outage crash-looped).
let workers: Awaited<ReturnType<typeof createWorkers>>;
for (let delay = 1_000; ; delay = Math.min(delay * 2, 30_000)) {
  try {
    workers = await createWorkers();
    break;
  } catch (err) {
    if ((err as Error).name !== 'TransportError') throw err;
    log.warn(
      { err: (err as Error).message, retryInMs: delay },
      'Temporal cannot serve the namespace yet; waiting',
    );
    await new Promise((r) => setTimeout(r, delay));
  }
}
log.info(
  {
    address,
    namespace: settings.temporalNamespace,
    maxCachedWorkflows: settings.workerMaxCachedWorkflows,
    maxConcurrentWorkflowTasks: settings.workerMaxConcurrentWorkflowTasks,
    maxConcurrentActivities: settings.workerMaxConcurrentActivities,
  },
  'worker polling',
);
const stopStatusLog = logWorkerStatus(workers, log, settings.workerStatusLogSeconds);
const metricsServer = settings.metrics.workerPort
  ? await startMetricsServer({
      host: settings.metrics.host,
      port: settings.metrics.workerPort,
      registry: metricsRegistry,
      ...(sdkMetrics ? { more: sdkMetricsFrom(sdkMetrics) } : {}),
      onError: (err) => log.warn({ err }, 'a metrics scrape failed'),
    })
  : undefined;
if (metricsServer)
  log.info(
    { url: `http://${settings.metrics.host}:${settings.metrics.workerPort}/metrics` },
    'metrics served',
  );
try {
  await Promise.all(workers.map((w) => w.run())); // resolve after SIGINT/SIGTERM once in-flight tasks drained
} finally {
  stopStatusLog();
  metricsServer?.close();
  await connection.close();
  await sql.end({ timeout: 5 });
  log.info('worker stopped');
}
