import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import pino from 'pino';
import { loadSettings, PROJECT_ROOT } from '../config/settings.js';
import { resolveTemporalBinary } from '../dev-stack/temporal-binary.js';
import { startTemporalDevServer } from '../dev-stack/temporal-dev-server.js';
import { PacRegistry } from '../pac/pac-registry.js';
import { PacSimulator } from '../pac-simulator/pac-simulator.js';
import { MemorySimStore } from '../pac-simulator/sim-store.js';
import { buildSimulatorApp } from '../pac-simulator/simulator-app.js';
import { SecretBox } from '../secrets/secret-box.js';
import { CertificateService } from '../services/certificate-service.js';
import { DocumentService } from '../services/document-service.js';
import { SigningKeyCache } from '../signing/signing-key-cache.js';
import { createFepaWorkers } from '../worker/create-worker.js';
import { createBenchCompany } from './bench-company.js';
import { benchDatabase } from './bench-database.js';

const MB = 1024 * 1024;

/** CPU seconds a process has used (user + system), from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/**
 * Parked documents: `count` documents the PAC keeps answering "pending", polled by one worker whose
 * workflow cache is bounded. Samples the worker's memory, its cache and the server's CPU while they wait
 * (compressed polling), and the history length of some documents (continue-as-new keeps it bounded).
 */
export async function benchParked(options: {
  count: number;
  watchSeconds: number;
  maxCachedWorkflows: number;
}) {
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
    port: 18233 + Math.floor(Math.random() * 1000),
    namespace: 'default',
    logFile: join(settings.dataDir, 'logs', 'bench-parked-temporal.log'),
    cacheDir: settings.cacheDir,
    log,
  });
  const serverPid = server.pid ?? process.pid;
  const db = await benchDatabase();
  const box = new SecretBox([randomBytes(32)]);
  const sim = new PacSimulator(new MemorySimStore(), { autoRegisterSandbox: true });
  const simServer = buildSimulatorApp(sim, log).listen(0, '127.0.0.1');
  await new Promise((r) => simServer.once('listening', r));
  const simulatorUrl = `http://127.0.0.1:${(simServer.address() as AddressInfo).port}`;
  const certificates = new CertificateService(db.sql, box, 30);
  const ruc = '155600001-2-2024';
  const { company } = await createBenchCompany(db.sql, {
    ruc,
    name: 'PARKED',
    role: 'integrator',
    certificates,
  });
  // Every document stays pending for as long as the bench watches (a query takes one step).
  sim.addRule({ match: { ruc }, script: Array.from({ length: 100 }, () => 'pending'), sticky: true });

  const connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection });
  const workers = await createFepaWorkers({
    connection: await NativeConnection.connect({ address: server.address }),
    namespace: 'default',
    sql: db.sql,
    workflowBundle: await bundleWorkflowCode({
      workflowsPath: join(PROJECT_ROOT, 'workflows/index.ts'),
      logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
    }),
    signingKeys: new SigningKeyCache(certificates.keySource()),
    qrKey: 'bench',
    pacs: new PacRegistry({ sql: db.sql, box, simulatorUrl }),
    box,
    webhookAllowedHosts: [],
    pacMaxCallsPerSecond: 1000,
    maxCachedWorkflows: options.maxCachedWorkflows,
  });
  const running = workers.map((w) => w.run());
  const documents = new DocumentService({
    sql: db.sql,
    client,
    // Compressed: production polls every 5 s doubling to 15 min; here 2 s doubling to 10 s.
    timings: { pollInitialMs: 2_000, pollMaxMs: 10_000, maxPollsPerRun: 20, pendingDeadlineMs: 3_600_000 },
  });
  const example = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'examples/invoice-spec-example.json'), 'utf8'),
  ) as { gDGen: { gEmis: Record<string, unknown>; dNroDF?: string; dSeg?: string } };
  example.gDGen.gEmis.gRucEmi = { dTipoRuc: '2', dRuc: ruc, dDV: company.dv };
  delete example.gDGen.dSeg;

  const parkStarted = Date.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: 16 }, async () => {
      while (next < options.count) {
        const doc = structuredClone(example);
        doc.gDGen.dNroDF = String(++next).padStart(10, '0');
        const created = await documents.create(company.id, doc);
        if (created.outcome !== 'created') throw new Error(`document ${next}: ${created.outcome}`);
      }
    }),
  );
  const parkSeconds = (Date.now() - parkStarted) / 1000;

  const samples: Array<{
    atSeconds: number;
    rssMb: number;
    heapMb: number;
    cached: number;
    serverCpuPct: number;
  }> = [];
  const watchStarted = Date.now();
  let lastCpu = cpuSeconds(serverPid);
  let lastAt = Date.now();
  while (Date.now() - watchStarted < options.watchSeconds * 1000) {
    await new Promise((r) => setTimeout(r, 10_000));
    const cpu = cpuSeconds(serverPid);
    const now = Date.now();
    samples.push({
      atSeconds: Math.round((now - watchStarted) / 1000),
      rssMb: Math.round(process.memoryUsage().rss / MB),
      heapMb: Math.round(process.memoryUsage().heapUsed / MB),
      cached: workers[0]!.getStatus().numCachedWorkflows,
      serverCpuPct: Math.round(((cpu - lastCpu) / ((now - lastAt) / 1000)) * 100),
    });
    lastCpu = cpu;
    lastAt = now;
  }
  const [queries] = await db.sql<
    Array<{ n: number }>
  >`select count(*)::int as n from document_pac_exchanges where operation = 'query'`;
  const sample = await db.sql<
    Array<{ workflow_id: string }>
  >`select workflow_id from documents order by random() limit 20`;
  const historyLengths: number[] = [];
  for (const { workflow_id } of sample)
    historyLengths.push(Number((await client.workflow.getHandle(workflow_id).describe()).historyLength));

  for (const w of workers) w.shutdown();
  await Promise.all(running);
  await connection.close();
  simServer.close();
  await server.stop();
  await db.drop();
  const half = samples.slice(Math.floor(samples.length / 2));
  const slope =
    half.length > 1
      ? ((half.at(-1)!.rssMb - half[0]!.rssMb) / (half.at(-1)!.atSeconds - half[0]!.atSeconds)) * 60
      : 0;
  return {
    note: 'one dev server, one in-process worker (this process: its RSS includes the bench client and the simulator), PostgreSQL on 127.0.0.1; polling compressed to 2 s → 10 s',
    documents: options.count,
    maxCachedWorkflows: options.maxCachedWorkflows,
    parkedInSeconds: Math.round(parkSeconds),
    watchedSeconds: options.watchSeconds,
    statusQueries: queries?.n ?? 0,
    rssMb: {
      max: Math.max(...samples.map((s) => s.rssMb)),
      last: samples.at(-1)?.rssMb,
      slopeMbPerMinuteSecondHalf: Math.round(slope * 10) / 10,
    },
    cachedWorkflowsMax: Math.max(...samples.map((s) => s.cached)),
    serverCpuPctMean: Math.round(
      samples.reduce((n, s) => n + s.serverCpuPct, 0) / Math.max(1, samples.length),
    ),
    historyLength: { max: Math.max(...historyLengths), min: Math.min(...historyLengths) },
    samples,
  };
}
