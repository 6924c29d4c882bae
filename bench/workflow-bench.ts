import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { Worker } from '@temporalio/worker';
import pino from 'pino';
import { buildApp } from '../api/server.js';
import { PROJECT_ROOT } from '../platform/config/settings.js';
import { ApiKeyService } from '../app/services/api-key-service.js';
import { DocumentService } from '../app/services/document-service.js';
import type { documentWorkflow } from '../workflows/document-workflow.js';
import { createBenchCompany } from './bench-company.js';
import { startBenchStack } from './bench-stack.js';
import { percentile } from './measure.js';

/** Activities a document runs on the happy path: prepare, signature mode, sign, submit, 4 state records. */
const ACTIVITIES_PER_DOCUMENT = 8;
/** Throughput rounds (documents, then bare workflows, each time). */
const ROUNDS = 3;

function latencyStats(ms: number[]) {
  const sorted = [...ms].sort((a, b) => a - b);
  return {
    count: sorted.length,
    p50Ms: Math.round(percentile(sorted, 50)),
    p99Ms: Math.round(percentile(sorted, 99)),
    maxMs: Math.round(sorted.at(-1) ?? 0),
  };
}

/**
 * Documents per second from API request to `authorized` (simulator at zero latency), and latency at a fixed
 * offered rate, next to a bare workflow running the same number of no-op activities, on the same dev server.
 */
export async function benchWorkflow() {
  const stack = await startBenchStack({ name: 'workflow' });
  const { db, client, certificates, nativeConnection } = stack;
  const sql = db.sql;
  const log = pino({ level: 'silent' });
  const noopWorker = await Worker.create({
    connection: nativeConnection,
    taskQueue: 'bench-noop',
    workflowsPath: join(PROJECT_ROOT, 'bench/scale/noop-workflow.ts'),
    activities: { noop: (i: number) => Promise.resolve(i) },
  });
  stack.run([noopWorker]);
  const documents = new DocumentService({
    sql,
    client,
    timings: { pollInitialMs: 50, pollMaxMs: 200, annulWindowMs: 1 },
  });
  const keys = new ApiKeyService(sql);
  const app = buildApp({
    client,
    sql,
    log,
    namespace: 'default',
    certificates,
    documents,
    keys,
    box: stack.box,
    bodyLimitBytes: 1_048_576,
    rateLimit: { perMinute: 1_000_000, burst: 100_000 },
    webhookAllowedHosts: [],
    webhookSecretOverlapHours: 24,
  });
  const api = app.listen(0, '127.0.0.1');
  await new Promise((r) => api.once('listening', r));
  const apiUrl = `http://127.0.0.1:${(api.address() as AddressInfo).port}`;

  const ruc = '155123456-2-2023';
  const { company, key } = await createBenchCompany(sql, {
    ruc,
    name: 'BENCH',
    role: 'integrator',
    certificates,
  });
  const example = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'docs/examples/invoice-spec-example.json'), 'utf8'),
  ) as { gDGen: Record<string, unknown> };
  let number = 0;
  const issueOne = async (): Promise<number> => {
    const started = performance.now();
    const doc = structuredClone(example);
    doc.gDGen.dNroDF = String(++number);
    delete doc.gDGen.dSeg;
    const res = await fetch(`${apiUrl}/v1/companies/${company.id}/documents`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` },
      body: JSON.stringify(doc),
    });
    const body = (await res.json()) as { workflowId: string };
    const state = await client.workflow.getHandle<typeof documentWorkflow>(body.workflowId).result();
    if (state.status !== 'authorized') throw new Error(`bench document ended ${state.status}`);
    return performance.now() - started;
  };
  const noopOne = async (): Promise<number> => {
    const started = performance.now();
    await client.workflow.execute('noopWorkflow', {
      taskQueue: 'bench-noop',
      workflowId: `noop-${randomBytes(6).toString('hex')}`,
      args: [ACTIVITIES_PER_DOCUMENT],
    });
    return performance.now() - started;
  };

  /** `total` runs with `concurrency` in flight: completions per second. */
  const throughput = async (run: () => Promise<number>, total: number, concurrency: number) => {
    const started = performance.now();
    let next = 0;
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next++ < total) await run();
      }),
    );
    return Math.round((total / ((performance.now() - started) / 1000)) * 10) / 10;
  };
  /** Starts one run every 1/rate seconds for `seconds`: latency of each, whatever the backlog. */
  const atFixedRate = async (run: () => Promise<number>, rate: number, seconds: number) => {
    const latencies: Promise<number>[] = [];
    for (let i = 0; i < rate * seconds; i++) {
      latencies.push(run());
      await new Promise((r) => setTimeout(r, 1000 / rate));
    }
    return latencyStats(await Promise.all(latencies));
  };

  try {
    await throughput(issueOne, 10, 5); // warm-up
    await throughput(noopOne, 10, 5);
    // Rounds alternate documents and bare workflows, so a drift of the machine touches both; the ratio
    // reported is the median round's.
    const rounds: Array<{ documentsPerSecond: number; bareWorkflowsPerSecond: number; ratio: number }> = [];
    for (let round = 0; round < ROUNDS; round++) {
      const documentsPerSecond = await throughput(issueOne, 100, 20);
      const bareWorkflowsPerSecond = await throughput(noopOne, 100, 20);
      rounds.push({
        documentsPerSecond,
        bareWorkflowsPerSecond,
        ratio: Math.round((documentsPerSecond / bareWorkflowsPerSecond) * 1000) / 1000,
      });
    }
    const median = [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor(ROUNDS / 2)]!;
    const rate = 5;
    const docLatency = await atFixedRate(issueOne, rate, 10);
    const noopLatency = await atFixedRate(noopOne, rate, 10);
    return {
      note: `one dev server (SQLite), one worker process, PostgreSQL on ${db.host}, simulator at zero latency; the baseline runs ${ACTIVITIES_PER_DOCUMENT} no-op activities, as many as a document's happy path`,
      throughput: {
        ...median,
        concurrency: 20,
        runs: 100,
        rounds,
      },
      latencyAtFixedRate: {
        offeredPerSecond: rate,
        seconds: 10,
        documents: docLatency,
        bareWorkflows: noopLatency,
        p50Ratio: Math.round((docLatency.p50Ms / Math.max(1, noopLatency.p50Ms)) * 100) / 100,
      },
    };
  } finally {
    api.close();
    await stack.stop();
  }
}
