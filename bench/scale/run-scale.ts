import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import { startChaosStack } from '../chaos/chaos-stack.js';
import { benchWorkflow } from '../workflow-bench.js';
import { clusterThroughput } from './cluster-throughput.js';
import { parkedDocuments } from './parked-documents.js';

export interface ScaleOptions {
  /** Parked documents (the issue asks for 10,000). */
  parked: number;
  /** How long the parked documents are watched, and how often sampled. */
  watchSeconds: number;
  sampleSeconds: number;
  /** Documents per throughput measurement. */
  throughputDocuments: number;
  maxCachedWorkflows: number;
  /** Compressed polling: 1 s doubling to this (production: 5 s to 15 min). */
  pollMaxMs: number;
}

/**
 * `npm run bench -- scale`: the throughput ratio on the dev server (the in-process workflow bench), then on a
 * cluster of processes (2 and 1 workers), then parked documents on that cluster with its one worker left.
 */
type BenchEnv = {
  adminDatabaseUrl: string;
  freePortBlock: (offsets: number[]) => Promise<number>;
  log: Logger;
};

/**
 * The scale benches' cluster: `workers` fepa worker processes with a bounded workflow cache, one API, polling
 * compressed (1 s doubling to `pollMaxMs`) and workers logging their status twice per sample.
 */
function startScaleStack(
  options: {
    workers: number;
    maxCachedWorkflows: number;
    pollMaxMs: number;
    sampleSeconds: number;
    processEnv?: Record<string, string> | undefined;
    compiledWorkers?: boolean | undefined;
  },
  env: BenchEnv,
) {
  return startChaosStack({
    adminDatabaseUrl: env.adminDatabaseUrl,
    workers: options.workers,
    compiledWorkers: options.compiledWorkers ?? true,
    apis: 1,
    historyShards: 4,
    timings: {
      pollInitialMs: 1_000,
      pollMaxMs: options.pollMaxMs,
      maxPollsPerRun: 20,
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

export async function benchScale(options: ScaleOptions, env: BenchEnv) {
  const { log } = env;
  log.info('scale: throughput on the dev server');
  const devServer = (await benchWorkflow()).throughput;
  log.info(devServer, 'scale: dev server measured; starting the cluster');
  const stack = await startScaleStack({ ...options, workers: 2 }, env);
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const client = new Client({ connection });
    const cluster = await clusterThroughput(stack, {
      documents: options.throughputDocuments,
      concurrency: 20,
      log,
      client,
    });
    log.info(cluster, 'scale: cluster throughput measured; parking documents');
    const parked = await parkedDocuments(stack, {
      count: options.parked,
      watchSeconds: options.watchSeconds,
      sampleSeconds: options.sampleSeconds,
      maxCachedWorkflows: options.maxCachedWorkflows,
      pollMaxMs: options.pollMaxMs,
      log,
      client,
    });
    return { throughput: { devServer, cluster }, parked };
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
  options: Omit<ScaleOptions, 'maxCachedWorkflows' | 'throughputDocuments'> & {
    /** One run per entry; `processEnv`: extra environment of the fepa processes (memory tuning under test). */
    runs: Array<{ maxCachedWorkflows: number; processEnv?: Record<string, string>; compiled?: boolean }>;
  },
  env: BenchEnv,
) {
  const runs = [];
  for (const { maxCachedWorkflows, processEnv, compiled = true } of options.runs) {
    env.log.info({ maxCachedWorkflows, compiled }, 'scale-memory: starting a cluster with one worker');
    const stack = await startScaleStack(
      { ...options, workers: 1, maxCachedWorkflows, processEnv, compiledWorkers: compiled },
      env,
    );
    const connection = await Connection.connect({ address: stack.temporalAddress });
    try {
      const { samples, ...summary } = await parkedDocuments(stack, {
        count: options.parked,
        watchSeconds: options.watchSeconds,
        sampleSeconds: options.sampleSeconds,
        maxCachedWorkflows,
        pollMaxMs: options.pollMaxMs,
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
