import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { stackCompany } from '../chaos/stack-company.js';
import { postDocuments } from '../chaos/chaos-client.js';
import type { ChaosStack } from '../chaos/chaos-stack.js';
import { exampleInvoiceFrom } from '../document-fixtures.js';
import { commitsByDatabase, perUnit } from './pg-activity.js';

/** Steps on a document's happy path: prepare, sign, submit (activities) and 5 local records and checks. */
export const STEPS_PER_DOCUMENT = 8;
const NOOP_TASK_QUEUE = 'bench-noop';

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

type Measured = { rate: number; allRate: number; stragglers: number };

/** fepa's documents next to bare workflows, measured the same way. */
const comparison = (fepa: Measured, bare: Measured) => ({
  documentsPerSecond: fepa.rate,
  bareWorkflowsPerSecond: bare.rate,
  ratio: round(fepa.rate / bare.rate, 3),
  documents: { allRate: fepa.allRate, stragglers: fepa.stragglers },
  bare: { allRate: bare.allRate, stragglers: bare.stragglers },
});

/** Events of one closed workflow's history by type (what each document costs the server). */
async function historyShape(client: Client, workflowId: string) {
  const history = await client.workflow.getHandle(workflowId).fetchHistory();
  const events = history.events ?? [];
  const count = (has: (e: (typeof events)[number]) => unknown) => events.filter((e) => has(e)).length;
  return {
    events: history.events?.length ?? 0,
    workflowTasks: count((e) => e.workflowTaskCompletedEventAttributes),
    activities: count((e) => e.activityTaskScheduledEventAttributes),
    markers: count((e) => e.markerRecordedEventAttributes),
    timers: count((e) => e.timerStartedEventAttributes),
  };
}

/**
 * Throughput on the cluster: documents/s from API request to authorized with 2 and with 1 fepa worker
 * processes, next to bare workflows (as many no-op activities as a document has steps) run by 2 and 1
 * processes of their own, on the same cluster in the same run; and where a document's extra cost goes.
 * Leaves the stack with one fepa worker (worker-1) running.
 */
export async function clusterThroughput(
  stack: ChaosStack,
  options: { documents: number; concurrency: number; log: Logger; client: Client },
) {
  const { client, log } = options;
  const ruc = '155800001-2-2024';
  const { company, key } = await stackCompany(stack, ruc, 'THROUGHPUT, S.A.');
  const invoice = exampleInvoiceFrom(ruc, company.dv);
  const databases = Object.values(stack.databases);

  const noopWorkers: ManagedProcess[] = [];
  const startNoopWorker = async () => {
    const name = `noop-${noopWorkers.length + 1}`;
    const logFile = join(dirname(stack.logFile('worker-1')), `${name}.log`);
    writeFileSync(logFile, '');
    const child = spawnManaged(
      name,
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'bench/scale/noop-worker.ts')],
      {
        cwd: PROJECT_ROOT,
        env: {
          PATH: process.env.PATH,
          TEMPORAL_ADDRESS: stack.temporalAddress,
          NOOP_TASK_QUEUE,
        },
        logFile,
      },
    );
    noopWorkers.push(child);
    // It bundles its workflow code first: the rate must not include that.
    for (const until = Date.now() + 120_000; ; await sleep(250)) {
      if (readFileSync(logFile, 'utf8').includes('noop worker polling')) break;
      if (child.child.exitCode !== null || Date.now() > until)
        throw new Error(`${name} did not start; see ${logFile}`);
    }
  };

  /**
   * Sustained rate from completion times: 95% of `n` over the time they took (`rate`), so a few
   * stragglers (a lost task waits out its timeout) are reported apart (`allRate`, `stragglers`) instead
   * of deciding the figure.
   */
  const rates = (n: number, started: number, completedAt: number[]) => {
    const sorted = [...completedAt].sort((a, b) => a - b);
    const t95 = sorted[Math.ceil(n * 0.95) - 1]! - started;
    const tAll = sorted.at(-1)! - started;
    const median = sorted[Math.floor(n / 2)]! - started;
    return {
      rate: round((Math.ceil(n * 0.95) / t95) * 1000),
      allRate: round((n / tAll) * 1000),
      stragglers: sorted.filter((t) => t - started > 3 * median).length,
    };
  };

  /** Posts `n` documents through the API and waits until every one is authorized. */
  let batch = 0;
  const documentsPerSecond = async (n: number) => {
    const tag = `throughput-${++batch}-${randomBytes(3).toString('hex')}`;
    const started = Date.now();
    const outcomes = await postDocuments({
      apis: stack.apis,
      companyId: company.id,
      apiKey: key,
      documents: Array.from({ length: n }, (_, i) => ({ key: `${tag}-${i}`, body: invoice })),
      concurrency: options.concurrency,
      giveUpMs: 600_000,
    });
    const ids = outcomes.flatMap((o) => (o.documentId ? [o.documentId] : []));
    if (ids.length !== n) throw new Error(`${n - ids.length} documents were not accepted`);
    const completedAt = new Map<string, number>();
    while (completedAt.size < n) {
      const rows = await stack.sql<Array<{ id: string; status: string }>>`
        select id, status from documents where id = any(${ids}) and status in ('authorized', 'rejected', 'needs_support')`;
      const failed = rows.filter((r) => r.status !== 'authorized');
      if (failed.length) throw new Error(`${failed.length} throughput documents did not authorize`);
      for (const r of rows) if (!completedAt.has(r.id)) completedAt.set(r.id, Date.now());
      await sleep(100);
    }
    return { ...rates(n, started, [...completedAt.values()]), ids };
  };
  /** Starts `n` bare workflows (as many at once as `concurrency`) and waits for all. */
  const bareWorkflowsPerSecond = async (n: number) => {
    const started = Date.now();
    let next = 0;
    const ids: string[] = [];
    const done: Promise<number>[] = [];
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (next++ < n) {
          const workflowId = `noop-${randomBytes(6).toString('hex')}`;
          ids.push(workflowId);
          const handle = await client.workflow.start('noopWorkflow', {
            taskQueue: NOOP_TASK_QUEUE,
            workflowId,
            args: [STEPS_PER_DOCUMENT],
          });
          done.push(handle.result().then(() => Date.now()));
        }
      }),
    );
    return { ...rates(n, started, await Promise.all(done)), ids };
  };

  try {
    await startNoopWorker();
    await startNoopWorker();
    log.info('throughput: warming up');
    await documentsPerSecond(30);
    await bareWorkflowsPerSecond(30);

    log.info({ documents: options.documents }, 'throughput: 2 fepa workers, 2 bare workers');
    const fepaTwo = await documentsPerSecond(options.documents);
    const bareTwo = await bareWorkflowsPerSecond(options.documents);

    // Nothing is in flight now: stopping the second workers strands no sticky task.
    await stack.kill('worker-2');
    await noopWorkers[1]!.stop('SIGTERM', 10_000);
    log.info({ documents: options.documents }, 'throughput: 1 fepa worker, 1 bare worker');
    const commitsBefore = await commitsByDatabase(stack.sql, databases);
    const fepaOne = await documentsPerSecond(options.documents);
    const commitsAfterFepa = await commitsByDatabase(stack.sql, databases);
    const bareOne = await bareWorkflowsPerSecond(options.documents);
    const commitsAfterBare = await commitsByDatabase(stack.sql, databases);

    const [sample] = await stack.sql<Array<{ workflow_id: string }>>`
      select workflow_id from documents where id = ${fepaOne.ids[0]!}`;
    return {
      note: `cluster on PostgreSQL (4 services as processes), fepa worker and API processes, simulator process at zero latency; the baseline runs ${STEPS_PER_DOCUMENT} no-op activities per workflow in processes of its own`,
      documents: options.documents,
      concurrency: options.concurrency,
      rateIs:
        '95% of the batch over the time it took; allRate: the whole batch; stragglers: done after 3× the median',
      oneWorker: comparison(fepaOne, bareOne),
      twoWorkers: comparison(fepaTwo, bareTwo),
      horizontalScale: {
        fepaTwoOverOne: round(fepaTwo.rate / fepaOne.rate, 2),
        bareTwoOverOne: round(bareTwo.rate / bareOne.rate, 2),
      },
      perDocument: {
        history: await historyShape(client, sample!.workflow_id),
        postgresCommits: perUnit(commitsAfterFepa, commitsBefore, options.documents),
      },
      perBareWorkflow: {
        history: await historyShape(client, bareOne.ids[0]!),
        postgresCommits: perUnit(commitsAfterBare, commitsAfterFepa, options.documents),
      },
    };
  } finally {
    for (const w of noopWorkers) await w.stop('SIGTERM', 10_000);
  }
}
