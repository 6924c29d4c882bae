import type { FolioWebhookEvent } from './webhook-event.js';

/** The `folios.low` event of one reading (the daily read, a read on request, or HKA's code 119). */
export function folioLowEvent(
  companyId: string,
  reading: { available: number | null; readAt: string },
  threshold: number,
  reason: string,
): FolioWebhookEvent {
  return {
    eventId: `folios:${companyId}:${reading.readAt}`,
    type: 'folios.low',
    folios: { available: reading.available, threshold, readAt: reading.readAt, reason },
    at: reading.readAt,
  };
}
