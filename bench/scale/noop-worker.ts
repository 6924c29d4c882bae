// A process running the bare baseline (no-op workflows and activities) against TEMPORAL_ADDRESS, so the
// cluster throughput bench compares fepa's worker processes with processes doing no work of their own.
import { join } from 'node:path';
import { NativeConnection, Worker } from '@temporalio/worker';
import { PROJECT_ROOT } from '../../platform/config/settings.js';

const connection = await NativeConnection.connect({
  address: process.env.TEMPORAL_ADDRESS ?? '127.0.0.1:7233',
});
const worker = await Worker.create({
  connection,
  taskQueue: process.env.NOOP_TASK_QUEUE ?? 'bench-noop',
  workflowsPath: join(PROJECT_ROOT, 'bench/scale/noop-workflow.ts'),
  activities: { noop: (i: number) => Promise.resolve(i) },
});
process.stdout.write('noop worker polling\n');
await worker.run(); // until SIGTERM
await connection.close();
