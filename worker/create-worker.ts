import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createPacActivities } from '../activities/pac-activities.js';
import { createReceivingPacActivities } from '../activities/receiving-activities.js';
import { createMailboxActivities } from '../activities/mailbox-activities.js';
import { PAC_NAMES, pacTaskQueue } from '../common/pac-outcome.js';
import { createPacAccountActivities } from '../activities/pac-account-activities.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { PacRegistry } from '../pac/pac-registry.js';
import type { SigningKeyCache } from '../domain/signing/signing-key-cache.js';
import type { Sql } from '../platform/storage/database.js';
import type { PacCallMetrics } from '../platform/metrics/pac-call-metrics.js';
import { smtpMailSender, type MailSender } from '../platform/mail/mail-sender.js';

/** The workflows' entry: the TypeScript source, or its compiled JavaScript when the worker runs from `dist/`. */
const workflowsEntry = resolve(import.meta.dirname, '../workflows/index');
export const WORKFLOWS_PATH = existsSync(`${workflowsEntry}.ts`)
  ? `${workflowsEntry}.ts`
  : `${workflowsEntry}.js`;

export interface FepaWorkerOptions {
  connection: NativeConnection;
  namespace: string;
  sql: Sql;
  taskQueue?: string;
  /** A prebuilt bundle (tests build one per process); without it the worker bundles `workflows/`. */
  workflowBundle?: WorkflowBundleWithSourceMap;
  shutdownGraceMs?: number;
  signingKeys: SigningKeyCache;
  qrKey: string;
  dgiSchemaDir?: string | undefined;
  pacs: PacRegistry;
  /** Opens secrets (webhook secrets) inside activities. */
  box: SecretBox;
  /** Hosts webhooks may be delivered to (FEPA_WEBHOOK_ALLOWED_HOSTS). */
  webhookAllowedHosts: readonly string[];
  /** Hosts a company's mailbox may use beside the known providers (FEPA_MAIL_ALLOWED_HOSTS). */
  mailAllowedHosts?: readonly string[];
  /** Prefix of the per-PAC task queues (tests use their own). */
  pacTaskQueuePrefix?: string;
  /** Calls per second to each PAC, across every worker (server-side task-queue rate limit). */
  pacMaxCallsPerSecond?: number;
  /**
   * Workflows kept in memory between their tasks (FEPA_WORKER_MAX_CACHED_WORKFLOWS). Parked documents
   * beyond it are evicted and replayed when their timer fires: memory stays bounded, at some CPU.
   */
  maxCachedWorkflows?: number;
  /** Workflow tasks and activities run at once (FEPA_WORKER_MAX_CONCURRENT_*); unset: the SDK's defaults. */
  maxConcurrentWorkflowTasks?: number;
  maxConcurrentActivities?: number;
  /** How the customer's copies are e-mailed (unset: not configured, deliveries fail and say so). */
  mail?: { sender: MailSender; from: string; replyTo?: string | undefined };
  /** The legend each PAC requires on CAFEs (FEPA_CAFE_PAC_LEGENDS). */
  cafePacLegends?: Partial<Record<string, string>>;
  /** PAC call latency and failures for the worker's Prometheus endpoint (docs/operations.md). */
  pacCallMetrics?: PacCallMetrics;
}

const NO_MAIL = {
  smtpUrl: undefined,
  user: undefined,
  password: undefined,
  from: 'facturacion@fepa.localhost',
  replyTo: undefined,
};

export function workerIdentity(): string {
  return `fepa-worker@${hostname()}:${process.pid}`;
}

/**
 * The worker process's workers: one for workflows and local work (building, signing, records), and one
 * per PAC whose task queue carries a rate limit, so thousands of pending documents never flood a PAC.
 */
export async function createFepaWorkers(options: FepaWorkerOptions): Promise<Worker[]> {
  const identity = workerIdentity();
  const activityLimit =
    options.maxConcurrentActivities === undefined
      ? {}
      : { maxConcurrentActivityTaskExecutions: options.maxConcurrentActivities };
  const common = {
    connection: options.connection,
    namespace: options.namespace,
    identity,
    shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
  };
  const main = await Worker.create({
    ...common,
    taskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    ...(options.maxCachedWorkflows === undefined ? {} : { maxCachedWorkflows: options.maxCachedWorkflows }),
    ...(options.maxConcurrentWorkflowTasks === undefined
      ? {}
      : { maxConcurrentWorkflowTaskExecutions: options.maxConcurrentWorkflowTasks }),
    ...activityLimit,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: {
      ...createMailboxActivities({
        sql: options.sql,
        box: options.box,
        mailAllowedHosts: options.mailAllowedHosts ?? [],
        documentsTaskQueue: options.taskQueue ?? TASK_QUEUES.documents,
      }),
      ...createActivities({
        sql: options.sql,
        workerIdentity: identity,
        signingKeys: options.signingKeys,
        qrKey: options.qrKey,
        dgiSchemaDir: options.dgiSchemaDir,
        pacs: options.pacs,
        box: options.box,
        allowedHosts: options.webhookAllowedHosts,
        mail: options.mail?.sender ?? smtpMailSender(NO_MAIL),
        mailSettings: { from: options.mail?.from ?? NO_MAIL.from, replyTo: options.mail?.replyTo },
        cafePacLegends: options.cafePacLegends ?? {},
        documentsTaskQueue: options.taskQueue ?? TASK_QUEUES.documents,
      }),
    },
  });
  const pacActivities = createPacActivities({
    sql: options.sql,
    pacs: options.pacs,
    documentsTaskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    ...(options.pacCallMetrics ? { metrics: options.pacCallMetrics } : {}),
  });
  // HKA's account services (folios, RUC registry) share HKA's rate limit; so do receiving's PAC calls.
  const hkaActivities = createPacAccountActivities({ sql: options.sql, pacs: options.pacs });
  const receivingActivities = createReceivingPacActivities({
    sql: options.sql,
    pacs: options.pacs,
    signingKeys: options.signingKeys,
  });
  const perPac = await Promise.all(
    PAC_NAMES.map((pac) =>
      Worker.create({
        ...common,
        taskQueue: `${options.pacTaskQueuePrefix ?? ''}${pacTaskQueue(pac)}`,
        activities:
          pac === 'hka'
            ? { ...pacActivities, ...hkaActivities, ...receivingActivities }
            : { ...pacActivities, ...receivingActivities },
        maxTaskQueueActivitiesPerSecond: options.pacMaxCallsPerSecond ?? 20,
        ...activityLimit,
      }),
    ),
  );
  return [main, ...perPac];
}
