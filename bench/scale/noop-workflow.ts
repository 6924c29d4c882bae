import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(i: number): Promise<number> }>({ startToCloseTimeout: '30s' });

/** The baseline: a workflow that runs as many activities as a document does, each doing nothing. */
export async function noopWorkflow(activities: number): Promise<number> {
  let sum = 0;
  for (let i = 0; i < activities; i++) sum += await noop(i);
  return sum;
}
