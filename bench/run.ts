import { WORKER_MALLOC_ARENA_MAX, WORKER_MEMORY_FLAGS } from '../worker/memory-tuning.js';
// `npm run bench`: measures fepa's hot paths and writes bench/results/*.json. Timings are reported,
// never asserted: tests check behaviour, this file records speed on the machine it ran on.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { loadSettings, PROJECT_ROOT } from '../platform/config/settings.js';
import { freePortBlock } from '../test/harness/free-port.js';
import { benchApi } from './api-bench.js';
import { benchCli } from './cli-bench.js';
import { benchDocumentBuild } from './document-bench.js';
import { machineFacts } from './measure.js';
import { benchScaleMemory, benchThroughput } from './scale/run-scale.js';
import { benchSigning } from './signing-bench.js';
import { benchReceiving } from './receiving-bench.js';
import { benchBooks } from './books-bench.js';
import { benchWorkflow } from './workflow-bench.js';

const only = process.argv.slice(2);
/** Under test: fewer glibc malloc arenas, a small V8 young generation, a bounded old generation. */
/** The adopted worker memory settings (worker/memory-tuning.ts), as the benches measure them. */
const WORKER_MEMORY_TUNING = {
  MALLOC_ARENA_MAX: WORKER_MALLOC_ARENA_MAX,
  NODE_OPTIONS: WORKER_MEMORY_FLAGS.join(' '),
};
const RESULTS_DIR = join(PROJECT_ROOT, 'bench', 'results');
await mkdir(RESULTS_DIR, { recursive: true });

async function record(name: string, measure: () => unknown): Promise<unknown> {
  if (only.length && !only.includes(name)) return undefined;
  if (name.startsWith('scale') && !only.includes(name)) return undefined;
  process.stdout.write(`bench ${name}…\n`);
  const results = await measure();
  const file = join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify({ ...machineFacts(), results }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`);
  return results;
}

/** scale.json gathers #13's figures: each scale bench replaces its own part and keeps the others. */
async function recordScalePart(part: string, results: unknown): Promise<void> {
  const file = join(RESULTS_DIR, 'scale.json');
  const previous = await readFile(file, 'utf8')
    .then((text) => (JSON.parse(text) as { results?: Record<string, unknown> }).results ?? {})
    .catch(() => ({}));
  const { measuredAt, ...facts } = machineFacts();
  const parts = { ...previous, [part]: { measuredAt, ...(results as object) } };
  await writeFile(file, `${JSON.stringify({ ...facts, results: parts }, null, 2)}\n`);
  process.stdout.write(`${part} written to ${file}\n`);
}

/** What the scale benches start their clusters with: the PostgreSQL server, free ports, a logger. */
const scaleEnv = () => ({
  adminDatabaseUrl: loadSettings().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  freePortBlock,
  log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
});

await record('document', benchDocumentBuild);
await record('signing', benchSigning);
await record('receiving', benchReceiving);
await record('books', benchBooks);
await record('workflow', benchWorkflow);
await record('api', benchApi);
await record('cli', benchCli);
// The throughput ratios on the dev server and on the cluster (about 10 minutes), only when asked for:
// `npm run bench -- scale [documents per cluster measurement] [worker cache]`; another cache than the
// default is recorded beside the default's figures.
if (only.includes('scale')) {
  process.stdout.write('bench scale (throughput)…\n');
  const defaultCache = loadSettings().workerMaxCachedWorkflows;
  const cache = Number(only[2] ?? defaultCache);
  const throughput = await benchThroughput(
    { documents: Number(only[1] ?? 300), maxCachedWorkflows: cache, sampleSeconds: 30 },
    scaleEnv(),
  );
  process.stdout.write(`${JSON.stringify(throughput, null, 2)}\n`);
  await recordScalePart(cache === defaultCache ? 'throughput' : `throughputAtCache${cache}`, {
    maxCachedWorkflows: cache,
    ...throughput,
  });
}
// Many parked documents through ONE worker process as production runs it (compiled, tuned, a small cache),
// watched for an hour once all are parked: `npm run bench -- scale-parked [documents] [watch s] [cache] [poll min]`.
// Intake is bounded (40 on their way to the PAC at once) so the documents park at the pipeline's own rate. Each
// is polled every `poll min` (default 40) and continues as new after each poll: on 2 cores the cluster answers
// about 6 polls/s, so production's cadence (5 s doubling to 15 min) for 10,000 documents cannot run here; the
// hour instead replays every parked document through the bounded cache at least once.
if (only.includes('scale-parked')) {
  const firstPollMs = Number(only[4] ?? 40) * 60_000;
  const parked = await record('scale-parked', () =>
    benchScaleMemory(
      {
        parked: Number(only[1] ?? 10_000),
        watchSeconds: Number(only[2] ?? 3_600),
        sampleSeconds: 30,
        schedule: { pollInitialMs: firstPollMs, pollMaxMs: firstPollMs, maxPollsPerRun: 1 },
        maxInFlight: 40,
        parkTimeoutSeconds: 3_600,
        runs: [{ maxCachedWorkflows: Number(only[3] ?? 50), processEnv: WORKER_MEMORY_TUNING }],
      },
      scaleEnv(),
    ),
  );
  await recordScalePart('parkedDocuments', parked);
}
// The worker's memory against its cache size (a few minutes per size): `npm run bench -- scale-memory`.
if (only.includes('scale-memory'))
  await record('scale-memory', () =>
    benchScaleMemory(
      {
        parked: 1_000,
        watchSeconds: 240,
        sampleSeconds: 20,
        schedule: { pollInitialMs: 1_000, pollMaxMs: 60_000, maxPollsPerRun: 20 },
        runs: [
          { maxCachedWorkflows: 200, processEnv: WORKER_MEMORY_TUNING, compiled: false },
          { maxCachedWorkflows: 200, processEnv: WORKER_MEMORY_TUNING },
          { maxCachedWorkflows: 50, processEnv: WORKER_MEMORY_TUNING },
        ],
      },
      scaleEnv(),
    ),
  );
process.exit(0);
