import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { startChaosStack } from '../chaos/chaos-stack.js';
import { benchWorkflow } from '../workflow-bench.js';
import { clusterThroughput } from './cluster-throughput.js';
import { parkedDocuments, type ParkedSchedule } from './parked-documents.js';

/** A parked-documents run: how many, their polling, how they are parked and watched. */
export interface ParkedOptions {
  /** Parked documents (the issue asks for 10,000). */
  parked: number;
  /** How long the parked documents are watched, and how often sampled. */
  watchSeconds: number;
  sampleSeconds: number;
  /** The documents' polling schedule (production: DEFAULT_TIMINGS, common/document-messages.ts). */
  schedule: ParkedSchedule;
  /** Documents on their way to the PAC at once while parking (unset: all posted at once). */
  maxInFlight?: number | undefined;
  /** How long to wait for every document to park before watching. */
  parkTimeoutSeconds?: number | undefined;
}

type BenchEnv = {
  adminDatabaseUrl: string;
  freePortBlock: (offsets: number[]) => Promise<number>;
  log: Logger;
};

/**
 * The scale benches' cluster: `workers` fepa worker processes with a bounded workflow cache, one API, the
 * polling `schedule` and workers logging their status twice per sample.
 */
function startScaleStack(
  options: {
    workers: number;
    maxCachedWorkflows: number;
    schedule: ParkedSchedule;
    sampleSeconds: number;
    processEnv?: Record<string, string> | undefined;
    compiled?: boolean | undefined;
  },
  env: BenchEnv,
) {
  return startChaosStack({
    adminDatabaseUrl: env.adminDatabaseUrl,
    workers: options.workers,
    compiled: options.compiled ?? true,
    apis: 1,
    historyShards: 4,
    timings: {
      ...options.schedule,
      pendingDeadlineMs: 24 * 3_600_000,
      // Compressed like the polls: a PAC call lost with its worker (or its task) is given up after 15 s.
      pacCallTimeoutMs: 15_000,
      notFoundSettleMs: 15_000,
    },
    env: {
      LOG_LEVEL: 'info',
      FEPA_WORKER_STATUS_LOG_SECONDS: String(Math.max(1, Math.floor(options.sampleSeconds / 2))),
      FEPA_WORKER_MAX_CACHED_WORKFLOWS: String(options.maxCachedWorkflows),
      ...options.processEnv,
    },
    freePortBlock: env.freePortBlock,
    log: env.log,
  });
}

/**
 * `npm run bench -- scale`: the throughput ratio on the dev server (the in-process workflow bench), then on a
 * cluster of processes, with 2 and then 1 workers.
 */
export async function benchThroughput(
  options: { documents: number; maxCachedWorkflows: number; sampleSeconds: number },
  env: BenchEnv,
) {
  const { log } = env;
  log.info('scale: throughput on the dev server');
  const devServer = (await benchWorkflow()).throughput;
  log.info(devServer, 'scale: dev server measured; starting the cluster');
  const stack = await startScaleStack(
    { ...options, workers: 2, schedule: { pollInitialMs: 1_000, pollMaxMs: 300_000, maxPollsPerRun: 20 } },
    env,
  );
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const cluster = await clusterThroughput(stack, {
      documents: options.documents,
      concurrency: 20,
      log,
      client: new Client({ connection }),
    });
    return { devServer, cluster };
  } finally {
    await connection.close();
    await stack.stop();
  }
}

/**
 * `npm run bench -- scale-memory`: the worker's RSS against its workflow cache. For each cache size, a
 * cluster with ONE worker process parks `parked` documents and watches them for `watchSeconds`.
 */
export async function benchScaleMemory(
  options: ParkedOptions & {
    /** One run per entry; `processEnv`: extra environment of the fepa processes (memory tuning under test). */
    runs: Array<{ maxCachedWorkflows: number; processEnv?: Record<string, string>; compiled?: boolean }>;
  },
  env: BenchEnv,
) {
  const runs = [];
  for (const { maxCachedWorkflows, processEnv, compiled = true } of options.runs) {
    env.log.info({ maxCachedWorkflows, compiled }, 'scale-memory: starting a cluster with one worker');
    const stack = await startScaleStack(
      { ...options, workers: 1, maxCachedWorkflows, processEnv, compiled },
      env,
    );
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const { samples, ...summary } = await parkedDocuments(stack, {
        count: options.parked,
        watchSeconds: options.watchSeconds,
        sampleSeconds: options.sampleSeconds,
        maxCachedWorkflows,
        schedule: options.schedule,
        maxInFlight: options.maxInFlight,
        parkTimeoutSeconds: options.parkTimeoutSeconds,
        log: env.log,
        client: new Client({ connection }),
      });
      runs.push({
        ...summary,
        processEnv: processEnv ?? {},
        worker: compiled ? 'compiled (dist/, plain node)' : 'node --import tsx',
        rssMbSamples: samples.map((s) => s.rssMb),
      });
    } finally {
      await connection.close();
      await stack.stop();
    }
  }
  return {
    note: 'worker RSS (its own process, /proc) with parked documents, one run per workflow cache size',
    runs,
  };
}
