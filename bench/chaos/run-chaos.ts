import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Client, Connection } from '@temporalio/client';
import type { Logger } from 'pino';
import type { DocumentTimings } from '../../common/document-messages.js';
import { seededRandom } from '../../tools/pac-simulator/seeded-random.js';
import type { RandomFaults } from '../../tools/pac-simulator/sim-types.js';
import { stackCompany } from './stack-company.js';
import { exampleInvoiceFrom } from '../document-fixtures.js';
import { percentile } from '../measure.js';
import { postDocuments } from './chaos-client.js';
import { startChaosStack, type ChaosTarget } from './chaos-stack.js';
import { startThrowawayPostgres } from './throwaway-postgres.js';
import {
  companyDocuments,
  pacAnswerCounts,
  SETTLED,
  verifyChaosRun,
  type SimRecord,
} from './chaos-verify.js';

/** One fault: `target` is killed with SIGKILL at `atMs` and started again `downForMs` later. */
export interface ChaosEvent {
  atMs: number;
  target: ChaosTarget;
  downForMs: number;
}

export interface ChaosConfig {
  seed: number;
  documents: number;
  concurrency: number;
  workers: number;
  apis: number;
  historyShards: number;
  timings: Partial<DocumentTimings>;
  simulator: { pendingRate: number; rejectRate: number; faults: RandomFaults };
  schedule: ChaosEvent[];
  settleTimeoutMs: number;
  /** Run on a PostgreSQL cluster of the run's own (needed for 'postgres' events), not the machine's. */
  throwawayPostgres: boolean;
}

/**
 * A seeded fault schedule over `durationMs`: a worker killed every 20–60 s (back after 2–10 s), and once
 * each an API process, the history service and the frontend (back after 2–10 s), the PAC down for
 * `pacOutageMs`, PostgreSQL crashed and restarted, then down for `postgresOutageMs`. Same seed, same
 * schedule.
 */
export function seededSchedule(
  seed: number,
  durationMs: number,
  workers: number,
  pacOutageMs: number,
  postgresOutageMs: number,
): ChaosEvent[] {
  const random = seededRandom(seed);
  const between = (lo: number, hi: number) => Math.round(lo + random() * (hi - lo));
  const events: ChaosEvent[] = [];
  for (let at = between(20_000, 60_000); at < durationMs; at += between(20_000, 60_000))
    events.push({ atMs: at, target: `worker-${between(1, workers)}`, downForMs: between(2_000, 10_000) });
  for (const target of ['api-1', 'history', 'frontend'] as const)
    events.push({ atMs: between(5_000, durationMs), target, downForMs: between(2_000, 10_000) });
  events.push({ atMs: between(5_000, durationMs / 2), target: 'simulator', downForMs: pacOutageMs });
  // PostgreSQL (fepa's, the simulator's and Temporal's): a quick restart, and later a long outage.
  events.push({ atMs: between(5_000, durationMs / 3), target: 'postgres', downForMs: between(1_000, 3_000) });
  events.push({ atMs: between(durationMs / 2, durationMs), target: 'postgres', downForMs: postgresOutageMs });
  return events.sort((a, b) => a.atMs - b.atMs);
}

export interface ChaosReport {
  config: ChaosConfig;
  counts: {
    requested: number;
    accepted: number;
    notAccepted: number;
    lost: number;
    duplicates: number;
    mismatches: number;
    stuck: number;
    numberGaps: number;
    uncleanServerErrors: number;
  };
  byStatus: Record<string, number>;
  /** fepa's record of the PAC's answers (operation:status → count): the faults as fepa saw them. */
  pacAnswers: Record<string, number>;
  client: { attempts: number; serverErrors: number; connectionErrors: number };
  documentsPerSecond: number;
  requestToSettledMs: { p50: number; p99: number; max: number };
  faults: Array<{ target: string; killedAtMs: number; backAtMs: number }>;
  supervisorRestarts: Record<string, number>;
  details: Awaited<ReturnType<typeof verifyChaosRun>>;
  seconds: number;
}

/** Runs documents through a full stack while the schedule kills its parts; then checks every promise. */
export async function runChaos(
  config: ChaosConfig,
  env: { adminDatabaseUrl: string; freePortBlock: (offsets: number[]) => Promise<number>; log: Logger },
): Promise<ChaosReport> {
  const log = env.log;
  const postgres = config.throwawayPostgres
    ? await startThrowawayPostgres({
        dir: await mkdtemp(join(tmpdir(), 'fepa-chaos-pg-')),
        port: await env.freePortBlock([0]),
      })
    : undefined;
  const stack = await startChaosStack({
    adminDatabaseUrl: postgres?.url ?? env.adminDatabaseUrl,
    postgres,
    workers: config.workers,
    apis: config.apis,
    historyShards: config.historyShards,
    timings: config.timings,
    simulator: { seed: config.seed, errorRate: 0, ...config.simulator },
    freePortBlock: env.freePortBlock,
    log,
  });
  const connection = await Connection.connect({ address: stack.temporalAddress });
  try {
    const ruc = '155700001-2-2024';
    const { company, key } = await stackCompany(stack, ruc, 'CHAOS, S.A.');
    const example = exampleInvoiceFrom(ruc, company.dv);

    const started = Date.now();
    const faults: ChaosReport['faults'] = [];
    let clientDone = false;
    const chaos = (async () => {
      await Promise.all(
        config.schedule.map(async (event) => {
          await new Promise((r) => setTimeout(r, event.atMs));
          if (!stack.isUp(event.target)) return;
          await stack.kill(event.target);
          const killedAtMs = Date.now() - started;
          log.info({ target: event.target, atMs: killedAtMs }, 'chaos: killed');
          await new Promise((r) => setTimeout(r, event.downForMs));
          await stack.start(event.target);
          faults.push({ target: event.target, killedAtMs, backAtMs: Date.now() - started });
          log.info({ target: event.target }, 'chaos: back');
        }),
      );
    })();
    const settledAt = new Map<string, number>();
    // The observer reads the same PostgreSQL the schedule takes down: it waits out outages like fepa does.
    const watcher = (async () => {
      for (;;) {
        if (Date.now() - started > config.settleTimeoutMs) return;
        const rows = await companyDocuments(stack.sql, company.id).catch(() => undefined);
        if (rows) {
          for (const row of rows)
            if (SETTLED.includes(row.status) && !settledAt.has(row.id)) settledAt.set(row.id, Date.now());
          if (clientDone && settledAt.size >= rows.length) return;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const outcomes = await postDocuments({
      apis: stack.apis,
      companyId: company.id,
      apiKey: key,
      documents: Array.from({ length: config.documents }, (_, i) => ({
        key: `chaos-${config.seed}-${i + 1}`,
        body: example,
      })),
      concurrency: config.concurrency,
      giveUpMs: config.settleTimeoutMs,
    });
    clientDone = true;
    await chaos;
    await watcher;
    const simRecords = (await (
      await fetch(`${stack.simulatorUrl}/_sim/documents?ruc=${ruc}`)
    ).json()) as SimRecord[];
    const details = await verifyChaosRun({
      sql: stack.sql,
      client: new Client({ connection }),
      companyId: company.id,
      outcomes,
      simRecords,
    });
    const rows = await companyDocuments(stack.sql, company.id);
    const byStatus: Record<string, number> = {};
    for (const r of rows) byStatus[r.status] = (byStatus[r.status] ?? 0) + 1;
    const latencies = outcomes
      .filter((o) => o.documentId && settledAt.has(o.documentId))
      .map((o) => settledAt.get(o.documentId!)! - o.startedAt)
      .sort((a, b) => a - b);
    const lastSettled = Math.max(started, ...settledAt.values());
    return {
      config,
      counts: {
        requested: config.documents,
        accepted: details.accepted,
        notAccepted: details.notAccepted,
        lost: details.lost.length,
        duplicates: details.duplicates.length,
        mismatches: details.mismatches.length,
        stuck: details.stuck.length,
        numberGaps: details.numberGaps.length,
        uncleanServerErrors: details.uncleanServerErrors,
      },
      byStatus,
      pacAnswers: await pacAnswerCounts(stack.sql, company.id),
      client: {
        attempts: outcomes.reduce((n, o) => n + o.attempts, 0),
        serverErrors: outcomes.reduce((n, o) => n + o.serverErrors, 0),
        connectionErrors: outcomes.reduce((n, o) => n + o.connectionErrors, 0),
      },
      documentsPerSecond: Math.round((settledAt.size / ((lastSettled - started) / 1000)) * 10) / 10,
      requestToSettledMs: {
        p50: Math.round(percentile(latencies, 50)),
        p99: Math.round(percentile(latencies, 99)),
        max: latencies.at(-1) ?? 0,
      },
      faults: faults.sort((a, b) => a.killedAtMs - b.killedAtMs),
      supervisorRestarts: stack.supervisorRestarts,
      details,
      seconds: Math.round((Date.now() - started) / 1000),
    };
  } finally {
    await connection.close();
    await stack.stop();
    await postgres?.destroy();
  }
}
