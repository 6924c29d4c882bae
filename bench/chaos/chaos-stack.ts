import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Logger } from 'pino';
import type { DocumentTimings } from '../../common/document-messages.js';
import { loadSettings, PROJECT_ROOT } from '../../platform/config/settings.js';
import { spawnManaged, type ManagedProcess } from '../../tools/dev-stack/managed-process.js';
import { waitForHttp } from '../../tools/dev-stack/process-group.js';
import { buildCompiled, nodeEntryArgs } from '../../tools/dev-stack/node-entry.js';
import { startTemporalCluster, type RunningCluster } from '../../tools/dev-stack/temporal-cluster.js';
import { TEMPORAL_SERVICES, type TemporalService } from '../../tools/dev-stack/temporal-cluster-config.js';
import { clusterDatabaseFrom } from '../../tools/dev-stack/temporal-cluster-database.js';
import { resolveTemporalServer } from '../../tools/dev-stack/temporal-server-binary.js';
import { connectDatabase, type Sql } from '../../platform/storage/database.js';
import { dropDatabase, ensureDatabaseExists } from '../../platform/storage/ensure-database.js';
import { runMigrations } from '../../platform/storage/migrate.js';
import type { RandomFaults } from '../../tools/pac-simulator/sim-types.js';

/** What the chaos schedule can kill (kill -9) and bring back. */
export type ChaosTarget =
  `worker-${number}` | `api-${number}` | 'simulator' | 'history' | 'frontend' | 'postgres';

export interface ChaosStackOptions {
  /** PostgreSQL server for fepa's, the simulator's and Temporal's throwaway databases. */
  adminDatabaseUrl: string;
  /** That server, when the run owns it (a throwaway cluster): then it can be crashed and started. */
  postgres?: { crash(): Promise<void>; start(): Promise<void> } | undefined;
  workers: number;
  /** Workers and APIs run from `dist/` (compiled first), as `npm run cluster` runs them. */
  compiled?: boolean | undefined;
  apis: number;
  historyShards: number;
  timings: Partial<DocumentTimings>;
  /** Extra settings for every fepa process (worker, API, simulator). */
  env?: Record<string, string>;
  /**
   * The simulator's seeded random mode, applied again after every restart (its settings live in memory).
   * Without it the simulator answers by its rules, else authorizes.
   */
  simulator?: {
    seed: number;
    pendingRate: number;
    rejectRate: number;
    errorRate: number;
    faults: RandomFaults;
  };
  freePortBlock: (offsets: number[]) => Promise<number>;
  log: Logger;
}

export interface ChaosStack {
  databaseUrl: string;
  /** The run's databases: fepa's (the simulator keeps its records there too) and Temporal's two. */
  databases: { fepa: string; temporal: string; visibility: string };
  sql: Sql;
  masterKey: Buffer;
  apis: string[];
  simulatorUrl: string;
  temporalAddress: string;
  kill(target: ChaosTarget): Promise<void>;
  start(target: ChaosTarget): Promise<void>;
  isUp(target: ChaosTarget): boolean;
  /** The process id of a worker, API or the simulator while it runs. */
  pid(target: ChaosTarget): number | undefined;
  /** The Temporal services' process ids. */
  serverPids(): number[];
  /** Where a fepa process writes its log (JSON lines). */
  logFile(target: ChaosTarget): string;
  /** Processes that died on their own (not killed by the schedule) and were started again, by name. */
  supervisorRestarts: Record<string, number>;
  stop(): Promise<void>;
}

/**
 * fepa as deployed, for chaos runs: a Temporal cluster on PostgreSQL (services as separate processes),
 * the PAC simulator keeping its records in PostgreSQL (they survive its restarts), several workers and
 * API processes; any of them can be killed with SIGKILL and started again.
 */
export async function startChaosStack(options: ChaosStackOptions): Promise<ChaosStack> {
  const { log } = options;
  const dir = await mkdtemp(join(tmpdir(), 'fepa-chaos-'));
  const database = `fepa_chaos_${Date.now()}_${randomBytes(3).toString('hex')}`;
  const databaseUrl = Object.assign(new URL(options.adminDatabaseUrl), {
    pathname: `/${database}`,
  }).toString();
  await ensureDatabaseExists(databaseUrl);
  await runMigrations(databaseUrl);
  const sql = connectDatabase(databaseUrl, { max: 4 });
  const masterKey = randomBytes(32);

  const cluster: RunningCluster = await startTemporalCluster({
    binaries: await resolveTemporalServer({ cacheDir: loadSettings().cacheDir, log }),
    database: clusterDatabaseFrom(databaseUrl, {
      temporal: `${database}_temporal`,
      visibility: `${database}_temporal_visibility`,
    }),
    historyShards: options.historyShards,
    basePort: await options.freePortBlock([0, 1, 2, 3, 10, 11, 12, 13, 20]),
    namespace: 'default',
    dir: join(dir, 'cluster'),
    log,
  });
  const simulatorPort = await options.freePortBlock([0]);
  const simulatorUrl = `http://127.0.0.1:${simulatorPort}`;
  const apiPorts: number[] = [];
  for (let i = 0; i < options.apis; i++) apiPorts.push(await options.freePortBlock([0]));

  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    LOG_FORMAT: 'json',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: cluster.address,
    FEPA_MASTER_KEY: masterKey.toString('hex'),
    FEPA_SIMULATOR_URL: simulatorUrl,
    FEPA_SIMULATOR_PORT: String(simulatorPort),
    FEPA_SIMULATOR_DATABASE_URL: databaseUrl,
    FEPA_DOCUMENT_TIMINGS: JSON.stringify(options.timings),
    FEPA_API_RATE_LIMIT_PER_MINUTE: '1000000',
    FEPA_API_RATE_LIMIT_BURST: '100000',
    FEPA_PAC_MAX_CALLS_PER_SECOND: '200',
    FEPA_PAC_ALLOWED_HOSTS: `127.0.0.1:${simulatorPort}`,
    FEPA_SHUTDOWN_GRACE_MS: '1000',
    ...options.env,
  };
  if (options.compiled) await buildCompiled(log);
  const entries: Record<
    string,
    { entry: string; env: NodeJS.ProcessEnv; ready?: string; compiled?: boolean | undefined }
  > = {
    simulator: { entry: 'tools/pac-simulator/main.ts', env, ready: `${simulatorUrl}/healthz` },
  };
  for (let i = 1; i <= options.workers; i++)
    entries[`worker-${i}`] = { entry: 'worker/main.ts', env, compiled: options.compiled };
  apiPorts.forEach((port, i) => {
    entries[`api-${i + 1}`] = {
      entry: 'api/main.ts',
      env: { ...env, FEPA_API_PORT: String(port) },
      ready: `http://127.0.0.1:${port}/healthz`,
      compiled: options.compiled,
    };
  });
  const running = new Map<string, ManagedProcess>();

  const configureSimulator = async () => {
    if (!options.simulator) return;
    const res = await fetch(`${simulatorUrl}/_sim/settings`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ random: options.simulator }),
    });
    if (!res.ok) throw new Error(`simulator settings refused: ${res.status} ${await res.text()}`);
  };

  // Like an orchestrator's restart policy: a process that dies on its own (a Temporal service that gives
  // up during a database outage, say) is started again and counted; the schedule's kills are not.
  const supervisorRestarts: Record<string, number> = {};
  const downOnPurpose = new Set<string>();
  let stopping = false;
  const supervisor = setInterval(() => {
    if (stopping) return;
    const dead: string[] = [];
    for (const s of TEMPORAL_SERVICES)
      if (cluster.services[s].child.exitCode !== null && !downOnPurpose.has(s)) dead.push(s);
    for (const [name, child] of running)
      if (child.child.exitCode !== null && !downOnPurpose.has(name)) dead.push(name);
    for (const name of dead) {
      supervisorRestarts[name] = (supervisorRestarts[name] ?? 0) + 1;
      log.warn({ process: name }, 'chaos supervisor: died on its own, starting it again');
      if ((TEMPORAL_SERVICES as readonly string[]).includes(name)) cluster.restart(name as TemporalService);
      else {
        running.delete(name);
        void stack.start(name as ChaosTarget).catch(() => {});
      }
    }
  }, 2_000);

  const stack: ChaosStack = {
    databaseUrl,
    databases: {
      fepa: database,
      temporal: `${database}_temporal`,
      visibility: `${database}_temporal_visibility`,
    },
    sql,
    masterKey,
    apis: apiPorts.map((p) => `http://127.0.0.1:${p}`),
    simulatorUrl,
    temporalAddress: cluster.address,
    supervisorRestarts,
    pid: (target) => running.get(target)?.child.pid,
    serverPids: () =>
      TEMPORAL_SERVICES.map((s) => cluster.services[s].programPid()).filter(
        (p): p is number => p !== undefined,
      ),
    logFile: (target) => join(dir, `${target}.log`),
    isUp: (target) =>
      target === 'postgres'
        ? !downOnPurpose.has('postgres')
        : target === 'history' || target === 'frontend'
          ? cluster.services[target].child.exitCode === null &&
            cluster.services[target].child.signalCode === null
          : running.has(target),
    async kill(target) {
      downOnPurpose.add(target);
      if (target === 'postgres') {
        await options.postgres?.crash();
        return;
      }
      const child =
        target === 'history' || target === 'frontend' ? cluster.services[target] : running.get(target);
      if (!child) return;
      await child.kill();
      running.delete(target);
    },
    async start(target) {
      downOnPurpose.delete(target);
      if (target === 'postgres') {
        await options.postgres?.start();
        return;
      }
      if (target === 'history' || target === 'frontend') {
        cluster.restart(target);
        return;
      }
      const spec = entries[target];
      if (!spec) throw new Error(`unknown chaos target ${target}`);
      const child = spawnManaged(target, process.execPath, nodeEntryArgs(spec.entry, spec.compiled), {
        cwd: PROJECT_ROOT,
        env: spec.env,
        logFile: stack.logFile(target),
      });
      running.set(target, child);
      if (spec.ready) await waitForHttp(spec.ready, 60_000);
      if (target === 'simulator') await configureSimulator();
    },
    async stop() {
      stopping = true;
      clearInterval(supervisor);
      for (const child of running.values()) await child.stop('SIGTERM', 5_000);
      running.clear();
      await cluster.stop();
      await sql.end({ timeout: 2 });
      for (const name of [database, `${database}_temporal`, `${database}_temporal_visibility`])
        await dropDatabase(options.adminDatabaseUrl, name).catch(() => {});
      await rm(dir, { recursive: true, force: true });
    },
  };
  await stack.start('simulator');
  for (const target of Object.keys(entries).filter((t) => t !== 'simulator'))
    await stack.start(target as ChaosTarget);
  return stack;
}
