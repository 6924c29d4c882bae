import { WORKER_MALLOC_ARENA_MAX, WORKER_MEMORY_FLAGS } from '../worker/memory-tuning.js';
// `npm run bench`: measures fepa's hot paths and writes bench/results/*.json. Timings are reported,
// never asserted: tests check behaviour, this file records speed on the machine it ran on.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { loadSettings, PROJECT_ROOT } from '../config/settings.js';
import { freePortBlock } from '../test/harness/free-port.js';
import { benchApi } from './api-bench.js';
import { benchDocumentBuild } from './document-bench.js';
import { machineFacts } from './measure.js';
import { benchScale, benchScaleMemory } from './scale/run-scale.js';
import { benchSigning } from './signing-bench.js';
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

async function record(name: string, measure: () => unknown): Promise<void> {
  if (only.length && !only.includes(name)) return;
  if (name.startsWith('scale') && !only.includes(name)) return;
  process.stdout.write(`bench ${name}…\n`);
  const results = await measure();
  const file = join(RESULTS_DIR, `${name}.json`);
  await writeFile(file, `${JSON.stringify({ ...machineFacts(), results }, null, 2)}\n`);
  process.stdout.write(`${JSON.stringify(results, null, 2)}\nwritten to ${file}\n`);
}

await record('document', benchDocumentBuild);
await record('signing', benchSigning);
await record('workflow', benchWorkflow);
await record('api', benchApi);
// Long (the throughput ratios, then 10,000 parked documents watched for 30 minutes): only when asked for,
// `npm run bench -- scale [parked documents] [watch seconds] [throughput documents]`.
if (only.includes('scale'))
  await record('scale', () =>
    benchScale(
      {
        parked: Number(only[1] ?? 10_000),
        watchSeconds: Number(only[2] ?? 1_800),
        sampleSeconds: 30,
        throughputDocuments: Number(only[3] ?? 300),
        maxCachedWorkflows: loadSettings().workerMaxCachedWorkflows,
        pollMaxMs: 300_000,
      },
      {
        adminDatabaseUrl: loadSettings().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        freePortBlock,
        log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
      },
    ),
  );
// Many parked documents through ONE worker process as production runs it (compiled, tuned, a small cache):
// `npm run bench -- scale-parked [documents] [watch seconds] [cache]`.
if (only.includes('scale-parked'))
  await record('scale-parked', () =>
    benchScaleMemory(
      {
        parked: Number(only[1] ?? 10_000),
        watchSeconds: Number(only[2] ?? 1_800),
        sampleSeconds: 30,
        pollMaxMs: 300_000,
        runs: [{ maxCachedWorkflows: Number(only[3] ?? 50), processEnv: WORKER_MEMORY_TUNING }],
      },
      {
        adminDatabaseUrl: loadSettings().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        freePortBlock,
        log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
      },
    ),
  );
// The worker's memory against its cache size (a few minutes per size): `npm run bench -- scale-memory`.
if (only.includes('scale-memory'))
  await record('scale-memory', () =>
    benchScaleMemory(
      {
        parked: 1_000,
        watchSeconds: 240,
        sampleSeconds: 20,
        pollMaxMs: 60_000,
        runs: [
          { maxCachedWorkflows: 200, processEnv: WORKER_MEMORY_TUNING, compiled: false },
          { maxCachedWorkflows: 200, processEnv: WORKER_MEMORY_TUNING },
          { maxCachedWorkflows: 50, processEnv: WORKER_MEMORY_TUNING },
        ],
      },
      {
        adminDatabaseUrl: loadSettings().databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
        freePortBlock,
        log: pino({ level: process.env.LOG_LEVEL ?? 'info' }),
      },
    ),
  );
process.exit(0);
