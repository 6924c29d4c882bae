import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PROJECT_ROOT } from '../config/settings.js';
import { DocumentService } from '../services/document-service.js';
import { createBenchCompany } from './bench-company.js';
import { startBenchStack } from './bench-stack.js';

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
  const stack = await startBenchStack({ name: 'parked', maxCachedWorkflows: options.maxCachedWorkflows });
  const { db, client, certificates, sim, workers } = stack;
  const serverPid = stack.server.pid ?? process.pid;
  const ruc = '155600001-2-2024';
  const { company } = await createBenchCompany(db.sql, {
    ruc,
    name: 'PARKED',
    role: 'integrator',
    certificates,
  });
  // Every document stays pending for as long as the bench watches (a query takes one step).
  sim.addRule({ match: { ruc }, script: Array.from({ length: 100 }, () => 'pending'), sticky: true });

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

  await stack.stop();
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
