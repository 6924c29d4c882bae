import type { DocumentTimings } from '../../common/document-messages.js';
import type { FepaWorkerOptions } from '../../worker/create-worker.js';
import type { ApiCall } from './api-client.js';
import { startSimulator, type RunningSimulator } from './pac-simulator.js';
import { startTestApi, type TestApi } from './test-api.js';
import { testDatabase, testTemporal } from './test-stack.js';
import { startTestWorker, type TestWorker } from './test-worker.js';
import { until } from './workflow-waits.js';

export interface ApiStack {
  simulator: RunningSimulator;
  worker: TestWorker;
  api: TestApi;
  /** Ends any outage, then closes the API, the worker and the simulator. */
  close(): Promise<void>;
}

/**
 * What the API-level tests stand on: the PAC simulator (its sandbox takes any company's key), fepa's real
 * worker on private task queues, and the real API on a random port, with document `timings`.
 */
export async function startApiStack(
  options: {
    timings?: Partial<DocumentTimings>;
    worker?: Partial<FepaWorkerOptions>;
    /** More of the API's dependencies, given the worker (a service on its task queue). */
    api?: (worker: TestWorker) => Omit<Partial<Parameters<typeof startTestApi>[0]>, 'client' | 'sql'>;
  } = {},
): Promise<ApiStack> {
  const simulator = await startSimulator();
  simulator.sim.updateSettings({ autoRegisterSandbox: true });
  const worker = await startTestWorker({ simulatorUrl: simulator.url, ...options.worker });
  const api = await startTestApi({
    client: (await testTemporal()).client,
    sql: testDatabase(),
    taskQueue: worker.taskQueue,
    pacTaskQueuePrefix: worker.pacTaskQueuePrefix,
    ...(options.timings ? { timings: options.timings } : {}),
    ...options.api?.(worker),
  });
  return {
    simulator,
    worker,
    api,
    async close() {
      await simulator.admin('/outage', undefined, 'DELETE');
      await api.close();
      await worker.stop();
      await simulator.close();
    },
  };
}

/**
 * A document (or received document) as the API shows it, once its status is `status`; on a timeout the error
 * tells the path it took and the PAC's last answer.
 */
export async function apiStatus(
  call: ApiCall,
  self: string,
  status: string,
  ms = 30_000,
): Promise<Record<string, any>> {
  let last: Record<string, any> = {};
  try {
    return await until(
      `${self} ${status}`,
      async () => {
        last = (await call('GET', self)).body as Record<string, any>;
        return last.status === status ? last : undefined;
      },
      ms,
    );
  } catch (err) {
    const path = (last.state?.history ?? []).map((h: any) => `${h.status} (${h.note ?? ''})`);
    throw new Error(
      `${(err as Error).message}; it is ${last.status}: ${path.join(' → ')}; PAC: ${JSON.stringify(last.state?.lastPac)}`,
      { cause: err },
    );
  }
}
