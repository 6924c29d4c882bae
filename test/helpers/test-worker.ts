import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { CertificateService } from '../../app/services/certificate-service.js';
import { PacRegistry } from '../../pac/pac-registry.js';
import { SigningKeyCache } from '../../domain/signing/signing-key-cache.js';
import { createFepaWorkers, type FepaWorkerOptions } from '../../worker/create-worker.js';
import { testSecretBox } from './test-api.js';
import { testDatabase, testTemporal, testWorkflowBundle } from './test-stack.js';

export interface TestWorker {
  workers: Worker[];
  taskQueue: string;
  pacTaskQueuePrefix: string;
  signingKeys: SigningKeyCache;
  stop(): Promise<void>;
}

/**
 * fepa's real workers (real activities, real database) on private task queues of the test server.
 * PAC calls go to `simulatorUrl` (the sandbox) unless a company has its own PAC settings.
 */
export async function startTestWorker(
  overrides: Partial<FepaWorkerOptions> & { simulatorUrl?: string } = {},
): Promise<TestWorker> {
  const env = await testTemporal();
  const id = randomUUID();
  const taskQueue = overrides.taskQueue ?? `test-${id}`;
  const pacTaskQueuePrefix = overrides.pacTaskQueuePrefix ?? `test-${id}-`;
  const signingKeys =
    overrides.signingKeys ??
    new SigningKeyCache(new CertificateService(testDatabase(), testSecretBox, 30).keySource());
  const workers = await createFepaWorkers({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    sql: testDatabase(),
    workflowBundle: await testWorkflowBundle(),
    qrKey: 'test-qr-key',
    pacs: new PacRegistry({
      sql: testDatabase(),
      box: testSecretBox,
      simulatorUrl: overrides.simulatorUrl ?? 'http://127.0.0.1:1',
      timeoutMs: 5_000,
      allowedHosts: ['127.0.0.1'],
    }),
    shutdownGraceMs: 1_000,
    box: testSecretBox,
    webhookAllowedHosts: ['127.0.0.1'],
    ...overrides,
    taskQueue,
    pacTaskQueuePrefix,
    signingKeys,
  });
  const running = workers.map((w) => w.run());
  return {
    workers,
    taskQueue,
    pacTaskQueuePrefix,
    signingKeys,
    async stop() {
      for (const w of workers) if (w.getState() === 'RUNNING') w.shutdown();
      await Promise.all(running);
    },
  };
}
