import { proxyActivities } from '@temporalio/workflow';
import type { PacInboxSummary, ReceivingPacActivities } from '../activities/receiving-activities.js';
import type { ReceivedTimings } from '../common/received-messages.js';

/** One read of the company PAC's reception service (eDoc service 2), on the PAC's rate-limited queue. */
export async function pacInboxWorkflow(input: {
  companyId: string;
  pacTaskQueue: string;
  documentsTaskQueue: string;
  pacTaskQueuePrefix?: string;
  receivedTimings?: Partial<ReceivedTimings>;
}): Promise<PacInboxSummary> {
  const { pacTaskQueue, ...read } = input;
  const acts = proxyActivities<ReceivingPacActivities>({
    taskQueue: pacTaskQueue,
    startToCloseTimeout: '10m',
    retry: { initialInterval: '10s', maximumInterval: '2m', maximumAttempts: 4 },
  });
  return acts.pullReceivedFromPac(read);
}
