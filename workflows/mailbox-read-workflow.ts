import { proxyActivities } from '@temporalio/workflow';
import type { MailboxActivities } from '../activities/mailbox-activities.js';
import type { MailboxReadInput, MailboxReadSummary } from '../common/mailbox.js';

const acts = proxyActivities<MailboxActivities>({
  startToCloseTimeout: '15m',
  heartbeatTimeout: '3m',
  // A mailbox that is down is tried again a few times; the schedule's next run tries after that.
  retry: { initialInterval: '10s', maximumInterval: '2m', maximumAttempts: 4 },
});

/** One read of a company's mailbox (its schedule runs it every few minutes; `POST …/mailbox/read` at once). */
export async function mailboxReadWorkflow(input: MailboxReadInput): Promise<MailboxReadSummary> {
  return acts.readCompanyMailbox(input);
}
