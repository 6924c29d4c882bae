import { proxyActivities } from '@temporalio/workflow';
import type { WebhookActivities } from '../activities/webhook-activities.js';
import type { WebhookEvent } from '../common/webhook-event.js';

const { deliverWebhook } = proxyActivities<WebhookActivities>({
  startToCloseTimeout: '30s',
  // Retried until delivered (for three days), so a receiver that is down catches up afterwards.
  scheduleToCloseTimeout: '3 days',
  retry: { initialInterval: '5s', backoffCoefficient: 2, maximumInterval: '10m' },
});

/** Delivers one document event to its company's webhook, on its own so the document never waits for it. */
export async function webhookDeliveryWorkflow(input: {
  companyId: string;
  event: WebhookEvent;
}): Promise<{ delivered: boolean }> {
  return deliverWebhook(input);
}
