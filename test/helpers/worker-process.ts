// A fepa worker in its own process, so a test can kill it for real (SIGKILL) in the middle of a call.
import { NativeConnection } from '@temporalio/worker';
import { SecretBox } from '../../platform/secrets/secret-box.js';
import { CertificateService } from '../../app/services/certificate-service.js';
import { PacRegistry } from '../../pac/pac-registry.js';
import { SigningKeyCache } from '../../domain/signing/signing-key-cache.js';
import { connectDatabase } from '../../platform/storage/database.js';
import { createFepaWorkers } from '../../worker/create-worker.js';

const env = (name: string) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is required`);
  return value;
};
const sql = connectDatabase(env('FEPA_TEST_DATABASE_URL'), { max: 2 });
const box = new SecretBox([Buffer.from(env('WORKER_MASTER_KEY_HEX'), 'hex')]);
const connection = await NativeConnection.connect({ address: env('FEPA_TEST_TEMPORAL_ADDRESS') });
const workers = await createFepaWorkers({
  connection,
  namespace: 'default',
  sql,
  taskQueue: env('WORKER_TASK_QUEUE'),
  pacTaskQueuePrefix: env('WORKER_PAC_PREFIX'),
  signingKeys: new SigningKeyCache(new CertificateService(sql, box, 30).keySource()),
  qrKey: 'test-qr-key',
  webhookAllowedHosts: ['127.0.0.1'],
  pacs: new PacRegistry({
    sql,
    box,
    simulatorUrl: env('WORKER_SIMULATOR_URL'),
    timeoutMs: 30_000,
    allowedHosts: ['127.0.0.1'],
  }),
  box,
});
process.stdout.write('worker ready\n');
await Promise.all(workers.map((w) => w.run()));
