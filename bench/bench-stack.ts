import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import {
  bundleWorkflowCode,
  DefaultLogger,
  NativeConnection,
  Runtime,
  type Worker,
} from '@temporalio/worker';
import pino from 'pino';
import { loadSettings, PROJECT_ROOT } from '../platform/config/settings.js';
import { resolveTemporalBinary } from '../tools/dev-stack/temporal-binary.js';
import { startTemporalDevServer, type RunningDevServer } from '../tools/dev-stack/temporal-dev-server.js';
import { PacRegistry } from '../pac/pac-registry.js';
import { PacSimulator } from '../tools/pac-simulator/pac-simulator.js';
import { MemorySimStore } from '../tools/pac-simulator/sim-store.js';
import { buildSimulatorApp } from '../tools/pac-simulator/simulator-app.js';
import { SecretBox } from '../platform/secrets/secret-box.js';
import { CertificateService } from '../app/services/certificate-service.js';
import { SigningKeyCache } from '../domain/signing/signing-key-cache.js';
import { createFepaWorkers } from '../worker/create-worker.js';
import { benchDatabase } from './bench-database.js';

export interface BenchStack {
  server: RunningDevServer;
  db: Awaited<ReturnType<typeof benchDatabase>>;
  box: SecretBox;
  sim: PacSimulator;
  nativeConnection: NativeConnection;
  client: Client;
  certificates: CertificateService;
  /** fepa's workers, running. */
  workers: Worker[];
  /** Runs more workers (a bench's own baseline) and stops them with the rest. */
  run(extra: Worker[]): void;
  stop(): Promise<void>;
}

/**
 * What the in-process benches share: a dev server, a throwaway database, the PAC simulator over HTTP
 * (zero latency) and fepa's real workers, all on this machine.
 */
export async function startBenchStack(options: {
  name: string;
  maxCachedWorkflows?: number;
}): Promise<BenchStack> {
  const settings = loadSettings();
  const log = pino({ level: 'silent' });
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const binary = await resolveTemporalBinary({
    cliPath: settings.temporalCliPath,
    cacheDir: settings.cacheDir,
    log,
  });
  if (binary.kind !== 'path') throw new Error('the bench needs the temporal binary');
  const server = await startTemporalDevServer({
    binary,
    port: 17233 + Math.floor(Math.random() * 2000),
    namespace: 'default',
    logFile: join(settings.dataDir, 'logs', `bench-${options.name}-temporal.log`),
    cacheDir: settings.cacheDir,
    log,
  });
  const db = await benchDatabase();
  const box = new SecretBox([randomBytes(32)]);
  const sim = new PacSimulator(new MemorySimStore(), { autoRegisterSandbox: true });
  const simServer = buildSimulatorApp(sim, log).listen(0, '127.0.0.1');
  await new Promise((r) => simServer.once('listening', r));
  const simulatorUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`;
  const nativeConnection = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const certificates = new CertificateService(db.sql, box, 30);
  const workers = await createFepaWorkers({
    connection: nativeConnection,
    namespace: 'default',
    sql: db.sql,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: join(PROJECT_ROOT, 'workflows/index.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    }),
    signingKeys: new SigningKeyCache(certificates.keySource()),
    qrKey: 'bench',
    pacs: new PacRegistry({ sql: db.sql, box, simulatorUrl, allowedHosts: ['127.0.0.1'] }),
    box,
    webhookAllowedHosts: [],
    pacMaxCallsPerSecond: 1000,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
  });
  const all = [...workers];
  const running = workers.map((w) => w.run());
  return {
    server,
    db,
    box,
    sim,
    nativeConnection,
    client: new Client({ connection }),
    certificates,
    workers,
    run(extra) {
      all.push(...extra);
      running.push(...extra.map((w) => w.run()));
    },
    async stop() {
      for (const w of all) w.shutdown();
      await Promise.all(running);
      simServer.close();
      await connection.close();
      await nativeConnection.close();
      await db.drop();
      await server.stop();
    },
  };
}
