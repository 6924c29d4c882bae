// `npm run chaos`: the full fault matrix (1,000 documents, seeded faults on every part of the stack) on a
// real Temporal cluster; writes bench/results/chaos.json. `npm test` runs the reduced one.
// `npm run chaos -- <documents>` runs a smaller one (the result file says which).
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import pino from 'pino';
import { loadSettings, PROJECT_ROOT } from '../platform/config/settings.js';
import { freePortBlock } from '../test/harness/free-port.js';
import { runChaos, seededSchedule, type ChaosConfig } from './chaos/run-chaos.js';
import { machineFacts } from './measure.js';

const documents = Number(process.argv[2] ?? 1000);
const seed = 7;
const config: ChaosConfig = {
  seed,
  documents,
  concurrency: 16,
  workers: 2,
  apis: 2,
  historyShards: 4,
  timings: {
    pollInitialMs: 500,
    pollMaxMs: 5_000,
    offlineRetryInitialMs: 1_000,
    offlineRetryMaxMs: 10_000,
    pacCallTimeoutMs: 5_000,
    verdictDeadlineMs: 300_000,
    annulWindowMs: 1,
    notFoundSettleMs: 30_000,
  },
  simulator: {
    pendingRate: 0.2,
    rejectRate: 0.03,
    // Lost replies, HTML 500s, answers later than the PAC call timeout, duplicates.
    faults: { loseReply: 0.1, http500: 0.05, hang: 0.03, duplicate: 0.03, hangMs: 8_000 },
  },
  // The PAC's 10-minute outage compressed to 60 s (the workflow's waits come from its input); the
  // PostgreSQL outage is real time: 5 min 10 s.
  schedule: seededSchedule(seed, Math.max(60_000, documents * 200), 2, 60_000, 310_000),
  settleTimeoutMs: 40 * 60_000,
  throwawayPostgres: true,
};
const log = pino({ level: process.env.LOG_LEVEL ?? 'info' });
const settings = loadSettings();
log.info({ documents, faults: config.schedule.length }, 'chaos run starting');
const report = await runChaos(config, {
  adminDatabaseUrl: settings.databaseUrl ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  freePortBlock,
  log,
});
const dir = join(PROJECT_ROOT, 'bench', 'results');
await mkdir(dir, { recursive: true });
const file = join(dir, 'chaos.json');
await writeFile(file, `${JSON.stringify({ ...machineFacts(), results: report }, null, 2)}\n`);
process.stdout.write(
  `${JSON.stringify({ counts: report.counts, byStatus: report.byStatus, documentsPerSecond: report.documentsPerSecond, requestToSettledMs: report.requestToSettledMs, faults: report.faults }, null, 2)}\nwritten to ${file}\n`,
);
const clean = ['lost', 'duplicates', 'mismatches', 'stuck', 'numberGaps', 'uncleanServerErrors'].every(
  (k) => report.counts[k as keyof typeof report.counts] === 0,
);
process.exit(clean ? 0 : 1);
