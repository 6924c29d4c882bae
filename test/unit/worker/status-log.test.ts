import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Worker } from '@temporalio/worker';
import { workerStatusFields } from '../../../worker/status-log.js';

const worker = (cached: number, activations: number, activities: number) => ({
  getStatus: () =>
    ({
      numCachedWorkflows: cached,
      numInFlightWorkflowActivations: activations,
      numInFlightActivities: activities,
    }) as ReturnType<Worker['getStatus']>,
});

test('worker status: the cache of the workflow worker, activities of all, memory in MB', () => {
  const memory = { rss: 300 * 1024 * 1024, heapUsed: 80.4 * 1024 * 1024 } as NodeJS.MemoryUsage;
  assert.deepEqual(workerStatusFields([worker(250, 3, 2), worker(0, 0, 5), worker(0, 0, 1)], memory), {
    cachedWorkflows: 250,
    workflowActivations: 3,
    activitiesInFlight: 8,
    rssMb: 300,
    heapUsedMb: 80,
  });
});

test('worker status with no workers yet: zeros, not a crash', () => {
  const fields = workerStatusFields([]);
  assert.equal(fields.cachedWorkflows, 0);
  assert.equal(fields.activitiesInFlight, 0);
  assert.ok(fields.rssMb > 0);
});
