import {
  ActivityFailure,
  ApplicationFailure,
  log,
  proxyActivities,
  workflowInfo,
} from '@temporalio/workflow';
import type { CafeDeliveryRequest, DeliveryActivities } from '../activities/delivery-activities.js';

export interface CafeDeliveryInput extends Omit<CafeDeliveryRequest, 'workflowId'> {
  /** Backoff between attempts starts here (doubling up to 30 min)… */
  retryInitialMs: number;
  /** …and the delivery is given up this long after it started. */
  giveUpMs: number;
}

export type CafeDeliveryResult =
  { status: 'sent'; address: string; messageId: string } | { status: 'failed'; reason: string };

/**
 * E-mails one document's CAFE and signed XML to its receiver, on its own so the document never waits:
 * retried with backoff until sent or given up; either way the outcome is recorded for the API and support.
 */
export async function cafeDeliveryWorkflow(input: CafeDeliveryInput): Promise<CafeDeliveryResult> {
  const workflowId = workflowInfo().workflowId;
  const { sendCafeMail } = proxyActivities<DeliveryActivities>({
    startToCloseTimeout: '2m',
    scheduleToCloseTimeout: input.giveUpMs,
    retry: { initialInterval: input.retryInitialMs, backoffCoefficient: 2, maximumInterval: '30m' },
  });
  const { recordDeliveryGivenUp } = proxyActivities<DeliveryActivities>({
    startToCloseTimeout: '1m',
    retry: { initialInterval: '1s', maximumInterval: '1m' },
  });
  const request: CafeDeliveryRequest = {
    documentId: input.documentId,
    workflowId,
    requestedBy: input.requestedBy,
    ...(input.to ? { to: input.to } : {}),
  };
  try {
    const sent = await sendCafeMail(request);
    return { status: 'sent', ...sent };
  } catch (err) {
    if (!(err instanceof ActivityFailure)) throw err;
    const cause = err.cause;
    const reason =
      cause instanceof ApplicationFailure
        ? cause.message
        : `not sent within ${Math.round(input.giveUpMs / 60_000)} min: ${cause?.message ?? err.message}`;
    await recordDeliveryGivenUp({ workflowId, documentId: input.documentId, reason });
    log.warn('CAFE delivery given up', { documentId: input.documentId, reason });
    return { status: 'failed', reason };
  }
}
