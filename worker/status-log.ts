import type { Worker } from '@temporalio/worker';
import type { Logger } from 'pino';

const MB = 1024 * 1024;

type StatusSource = Pick<Worker, 'getStatus'>;

/**
 * One `worker status` line: what an operator (or the scale bench) needs to see a worker process's load and
 * memory. The first worker runs the workflows (createFepaWorkers' order); the others only PAC calls.
 */
export function workerStatusFields(
  [workflows, ...pacCallers]: StatusSource[],
  memory: NodeJS.MemoryUsage = process.memoryUsage(),
) {
  const all = workflows ? [workflows, ...pacCallers] : [];
  const status = workflows?.getStatus();
  return {
    cachedWorkflows: status?.numCachedWorkflows ?? 0,
    workflowActivations: status?.numInFlightWorkflowActivations ?? 0,
    activitiesInFlight: all.reduce((n, w) => n + w.getStatus().numInFlightActivities, 0),
    rssMb: Math.round(memory.rss / MB),
    heapUsedMb: Math.round(memory.heapUsed / MB),
  };
}

/** Logs the workers' status every `seconds` (0: never); returns the function that stops it. */
export function logWorkerStatus(workers: Worker[], log: Logger, seconds: number): () => void {
  if (seconds <= 0) return () => {};
  const timer = setInterval(() => log.info(workerStatusFields(workers), 'worker status'), seconds * 1000);
  timer.unref();
  return () => clearInterval(timer);
}
