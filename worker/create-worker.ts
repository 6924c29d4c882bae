import { hostname } from 'node:os';
import { resolve } from 'node:path';
import { Worker, type NativeConnection, type WorkflowBundleWithSourceMap } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { TASK_QUEUES } from '../common/task-queues.js';
import type { SigningKeyCache } from '../signing/signing-key-cache.js';
import type { Sql } from '../storage/database.js';

export const WORKFLOWS_PATH = resolve(import.meta.dirname, '../workflows/index.ts');

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
}

export function workerIdentity(): string {
  return `fepa-worker@${hostname()}:${process.pid}`;
}

export async function createFepaWorker(options: FepaWorkerOptions): Promise<Worker> {
  const identity = workerIdentity();
  return Worker.create({
    connection: options.connection,
    namespace: options.namespace,
    taskQueue: options.taskQueue ?? TASK_QUEUES.documents,
    identity,
    ...(options.workflowBundle
      ? { workflowBundle: options.workflowBundle }
      : { workflowsPath: WORKFLOWS_PATH }),
    activities: createActivities({
      sql: options.sql,
      workerIdentity: identity,
      signingKeys: options.signingKeys,
      qrKey: options.qrKey,
      dgiSchemaDir: options.dgiSchemaDir,
    }),
    shutdownGraceTime: options.shutdownGraceMs ?? 30_000,
  });
}
