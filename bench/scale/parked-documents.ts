import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DEFAULT_TIMINGS } from '../../common/document-messages.js';
import type { Logger } from 'pino';
import { stackCompany } from '../chaos/stack-company.js';
import { postDocuments } from '../chaos/chaos-client.js';
import type { ChaosStack } from '../chaos/chaos-stack.js';
import { exampleInvoiceFrom } from '../document-fixtures.js';

const round = (n: number, places = 1) => Math.round(n * 10 ** places) / 10 ** places;

/** Resident memory of a process in MB, from /proc. */
function rssMb(pid: number): number {
  const line = readFileSync(`/proc/${pid}/status`, 'utf8').match(/^VmRSS:\s+(\d+) kB$/m);
  return line ? Math.round(Number(line[1]) / 1024) : 0;
}

/** CPU seconds (user + system) a process has used, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

/** The last `worker status` line in a worker's JSON log (its cache and memory as the worker sees them). */
function lastWorkerStatus(logFile: string): { cachedWorkflows: number; heapUsedMb: number } | undefined {
  const lines = readFileSync(logFile, 'utf8').trimEnd().split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    if (!lines[i]!.includes('"worker status"')) continue;
    try {
      return JSON.parse(lines[i]!) as { cachedWorkflows: number; heapUsedMb: number };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/** Least-squares slope of y over x. */
function slope(points: Array<[number, number]>): number {
  const n = points.length;
  if (n < 2) return 0;
  const mx = points.reduce((s, [x]) => s + x, 0) / n;
  const my = points.reduce((s, [, y]) => s + y, 0) / n;
  const num = points.reduce((s, [x, y]) => s + (x - mx) * (y - my), 0);
  const den = points.reduce((s, [x]) => s + (x - mx) ** 2, 0);
  return den === 0 ? 0 : num / den;
}

/** The stack's polling schedule, as the parked bench reports it. */
export interface ParkedSchedule {
  pollInitialMs: number;
  pollMaxMs: number;
  maxPollsPerRun: number;
}

const minutes = (ms: number) => round(ms / 60_000, 2);

/**
 * Parked documents: `count` documents the PAC keeps answering "pending", polled by ONE worker process
 * (worker-1 of the stack) whose workflow cache is bounded. Samples that process's RSS, its cache (from its
 * `worker status` log) and the Temporal services' CPU while the documents wait, and afterwards the history
 * length of a sample (continue-as-new keeps it bounded).
 */
export async function parkedDocuments(
  stack: ChaosStack,
  options: {
    count: number;
    watchSeconds: number;
    sampleSeconds: number;
    maxCachedWorkflows: number;
    schedule: ParkedSchedule;
    /**
     * Documents allowed on their way to the PAC at once (posted, not yet parked). Unset: all posted at once,
     * which leaves most of them queued in Temporal behind a cache far smaller than the batch.
     */
    maxInFlight?: number | undefined;
    /** Give up waiting for every document to park after this long, and watch what there is. */
    parkTimeoutSeconds?: number | undefined;
    log: Logger;
    client: Client;
  },
) {
  const { log } = options;
  const ruc = '155600001-2-2024';
  const { company, key } = await stackCompany(stack, ruc, 'PARKED, S.A.');
  const rule = await fetch(`${stack.simulatorUrl}/_sim/rules`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    // Each call takes one step (the simulator's maximum is 50): "pending" for 50 submissions and queries.
    body: JSON.stringify({
      match: { ruc },
      script: Array.from({ length: 50 }, () => 'pending'),
      sticky: true,
    }),
  });
  if (!rule.ok) throw new Error(`simulator rule refused: ${rule.status} ${await rule.text()}`);

  const workerPid = stack.pid('worker-1');
  if (!workerPid) throw new Error('the parked bench needs worker-1 running');
  const tag = randomBytes(3).toString('hex');
  const invoice = exampleInvoiceFrom(ruc, company.dv);
  const parkStarted = Date.now();
  /** Documents of the bench's company by status (`submitted`: parked, the PAC answering "pending"). */
  const byStatus = async () =>
    Object.fromEntries(
      (
        await stack.sql<Array<{ status: string; n: number }>>`
          select status, count(*)::int as n from documents where company_id = ${company.id} group by status`
      ).map((r) => [r.status, r.n]),
    ) as Record<string, number>;
  /** The worker's RSS while documents park, sampled with the progress line. */
  const parkingRss: number[] = [];
  const progress = setInterval(() => {
    void byStatus()
      .then((statuses) => {
        parkingRss.push(rssMb(workerPid));
        log.info({ byStatus: statuses, of: options.count, rssMb: parkingRss.at(-1) }, 'parked: parking');
      })
      .catch(() => {});
  }, 30_000);
  const documents = Array.from({ length: options.count }, (_, i) => ({
    key: `parked-${tag}-${i}`,
    body: invoice,
  }));
  const onTheirWay = (statuses: Record<string, number>) =>
    Object.entries(statuses).reduce((n, [status, count]) => n + (status === 'submitted' ? 0 : count), 0);
  const outcomes = [];
  const chunk = options.maxInFlight ? Math.max(1, Math.floor(options.maxInFlight / 2)) : options.count;
  let accepted: number;
  let postedSeconds: number;
  let atWatchStart: Record<string, number>;
  try {
    for (let i = 0; i < documents.length; i += chunk) {
      // Post the next chunk once fewer than `maxInFlight` are still on their way to the PAC.
      while (options.maxInFlight && onTheirWay(await byStatus()) > options.maxInFlight - chunk)
        await new Promise((r) => setTimeout(r, 500));
      outcomes.push(
        ...(await postDocuments({
          apis: stack.apis,
          companyId: company.id,
          apiKey: key,
          documents: documents.slice(i, i + chunk),
          concurrency: 16,
          giveUpMs: 600_000,
        })),
      );
    }
    accepted = outcomes.filter((o) => o.documentId).length;
    postedSeconds = (Date.now() - parkStarted) / 1000;
    log.info(
      { accepted, seconds: Math.round(postedSeconds) },
      'parked: all posted; waiting for them to park',
    );
    const parkDeadline = Date.now() + (options.parkTimeoutSeconds ?? 0) * 1000;
    atWatchStart = await byStatus();
    while (onTheirWay(atWatchStart) > 0 && Date.now() < parkDeadline) {
      await new Promise((r) => setTimeout(r, 5_000));
      atWatchStart = await byStatus();
    }
  } finally {
    clearInterval(progress);
  }
  const parkSeconds = (Date.now() - parkStarted) / 1000;
  log.info(
    { byStatus: atWatchStart, seconds: Math.round(parkSeconds), rssMb: rssMb(workerPid) },
    'parked: watching',
  );

  const servers = stack.serverPids();
  const serverCpu = () => servers.reduce((s, pid) => s + cpuSeconds(pid), 0);
  const [queriesBefore] = await stack.sql<Array<{ n: number }>>`
    select count(*)::int as n from document_pac_exchanges where operation = 'query'`;
  const samples: Array<{
    atSeconds: number;
    rssMb: number;
    heapMb: number | undefined;
    cached: number | undefined;
    serverCpuPct: number;
    workerCpuPct: number;
  }> = [];
  const watchStarted = Date.now();
  let last = { at: Date.now(), server: serverCpu(), worker: cpuSeconds(workerPid) };
  while (Date.now() - watchStarted < options.watchSeconds * 1000) {
    await new Promise((r) => setTimeout(r, options.sampleSeconds * 1000));
    const now = { at: Date.now(), server: serverCpu(), worker: cpuSeconds(workerPid) };
    const seconds = (now.at - last.at) / 1000;
    const status = lastWorkerStatus(stack.logFile('worker-1'));
    const sample = {
      atSeconds: Math.round((now.at - watchStarted) / 1000),
      rssMb: rssMb(workerPid),
      heapMb: status?.heapUsedMb,
      cached: status?.cachedWorkflows,
      serverCpuPct: Math.round(((now.server - last.server) / seconds) * 100),
      workerCpuPct: Math.round(((now.worker - last.worker) / seconds) * 100),
    };
    samples.push(sample);
    log.info(sample, 'parked: sample');
    last = now;
  }
  const [queriesAfter] = await stack.sql<Array<{ n: number }>>`
    select count(*)::int as n from document_pac_exchanges where operation = 'query'`;
  const sample = await stack.sql<Array<{ workflow_id: string }>>`
    select workflow_id from documents where company_id = ${company.id} order by random() limit 50`;
  const histories: Array<{ length: number; runs: number }> = [];
  for (const { workflow_id } of sample) {
    const described = await options.client.workflow.getHandle(workflow_id).describe();
    let runs = 0;
    for await (const _run of options.client.workflow.list({ query: `WorkflowId = '${workflow_id}'` })) runs++;
    histories.push({ length: Number(described.historyLength), runs });
  }

  const steady = samples.slice(Math.floor(samples.length / 3));
  const queries = (queriesAfter?.n ?? 0) - (queriesBefore?.n ?? 0);
  return {
    note: `one fepa worker process (its own RSS, from /proc), 1 API, simulator answering "pending", Temporal cluster on PostgreSQL; polling: ${minutes(options.schedule.pollInitialMs)} min doubling to ${minutes(options.schedule.pollMaxMs)} min, continue-as-new after ${options.schedule.maxPollsPerRun} poll(s) (production: ${DEFAULT_TIMINGS.pollInitialMs / 1000} s to ${minutes(DEFAULT_TIMINGS.pollMaxMs)} min, after ${DEFAULT_TIMINGS.maxPollsPerRun})`,
    schedule: options.schedule,
    documents: {
      requested: options.count,
      accepted,
      // "submitted": parked, the PAC answering pending; earlier states: not yet reached the PAC.
      atWatchStart: atWatchStart,
      atWatchEnd: await byStatus(),
    },
    maxCachedWorkflows: options.maxCachedWorkflows,
    maxInFlight: options.maxInFlight ?? null,
    postedInSeconds: Math.round(postedSeconds),
    parkedInSeconds: Math.round(parkSeconds),
    watchedSeconds: options.watchSeconds,
    pacStatusQueries: {
      whileWatched: queries,
      perSecond: round(queries / options.watchSeconds),
      perParkedDocument: round(queries / Math.max(1, atWatchStart.submitted ?? 0), 2),
    },
    workerRssMbWhileParking: {
      max: Math.max(0, ...parkingRss),
      last: parkingRss.at(-1) ?? null,
    },
    workerRssMb: {
      max: Math.max(...samples.map((s) => s.rssMb)),
      steadyMean: Math.round(steady.reduce((n, s) => n + s.rssMb, 0) / Math.max(1, steady.length)),
      last: samples.at(-1)?.rssMb,
      // The last two thirds of the watch: ~0 means no growth.
      steadySlopeMbPerHour: round(slope(steady.map((s) => [s.atSeconds / 3600, s.rssMb]))),
    },
    cachedWorkflowsMax: Math.max(...samples.map((s) => s.cached ?? 0)),
    serverCpuPctMean: Math.round(
      samples.reduce((n, s) => n + s.serverCpuPct, 0) / Math.max(1, samples.length),
    ),
    workerCpuPctMean: Math.round(
      samples.reduce((n, s) => n + s.workerCpuPct, 0) / Math.max(1, samples.length),
    ),
    historyLength: {
      max: Math.max(...histories.map((h) => h.length)),
      min: Math.min(...histories.map((h) => h.length)),
    },
    runsPerDocument: {
      max: Math.max(...histories.map((h) => h.runs)),
      min: Math.min(...histories.map((h) => h.runs)),
    },
    samples,
  };
}
