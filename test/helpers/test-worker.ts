import { randomUUID } from 'node:crypto';
import type { Worker } from '@temporalio/worker';
import { CertificateService } from '../../services/certificate-service.js';
import { SigningKeyCache } from '../../signing/signing-key-cache.js';
import { createFepaWorker, type FepaWorkerOptions } from '../../worker/create-worker.js';
import { testSecretBox } from './test-api.js';
import { testDatabase, testTemporal, testWorkflowBundle } from './test-stack.js';

export interface TestWorker {
  worker: Worker;
  taskQueue: string;
  signingKeys: SigningKeyCache;
  stop(): Promise<void>;
}

/** fepa's real worker (real activities, real database) on a private task queue of the test server. */
export async function startTestWorker(overrides: Partial<FepaWorkerOptions> = {}): Promise<TestWorker> {
  const env = await testTemporal();
  const taskQueue = overrides.taskQueue ?? `test-${randomUUID()}`;
  const signingKeys =
    overrides.signingKeys ??
    new SigningKeyCache(new CertificateService(testDatabase(), testSecretBox, 30).keySource());
  const worker = await createFepaWorker({
    connection: env.nativeConnection,
    namespace: env.namespace ?? 'default',
    sql: testDatabase(),
    workflowBundle: await testWorkflowBundle(),
    qrKey: 'test-qr-key',
    ...overrides,
    taskQueue,
    signingKeys,
  });
  const running = worker.run();
  return {
    worker,
    taskQueue,
    signingKeys,
    async stop() {
      worker.shutdown();
      await running;
    },
  };
}
