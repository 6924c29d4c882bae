import { createHmac } from 'node:crypto';
import { ApplicationFailure } from '@temporalio/activity';
import type { WebhookEvent } from '../common/webhook-event.js';
import {
  guardedFetch,
  OutboundRefused,
  webhookRule,
  type Resolver,
} from '../platform/outbound/outbound-guard.js';
import type { SecretBox } from '../platform/secrets/secret-box.js';
import type { Sql } from '../platform/storage/database.js';
import { openWebhook } from '../platform/storage/webhook-store.js';
import { loadErpReference } from '../platform/storage/document-store.js';

/** `X-Fepa-Signature: sha256=<hex>` over `<timestamp>.<body>`: receivers check it with their secret. */
export function webhookSignature(secret: string, timestamp: string, body: string): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export function createWebhookActivities(deps: {
  sql: Sql;
  box: SecretBox;
  /** Checked again at delivery: the setting may have narrowed since the URL was saved. */
  allowedHosts: readonly string[];
  timeoutMs?: number;
  /** Name resolution (tests give their own). */
  resolve?: Resolver;
}) {
  const post = guardedFetch(webhookRule(deps.allowedHosts), deps.resolve);
  return {
    /** POSTs one event; anything but a 2xx throws, and Temporal retries (with backoff) until it is delivered. */
    async deliverWebhook(input: {
      companyId: string;
      event: WebhookEvent;
    }): Promise<{ delivered: boolean; status?: number }> {
      const webhook = await openWebhook(deps.sql, deps.box, input.companyId);
      if (!webhook) return { delivered: false };
      // The ERP's references are read at delivery (they are not carried through workflow history).
      const erp =
        'documentId' in input.event ? await loadErpReference(deps.sql, input.event.documentId) : undefined;
      const body = JSON.stringify(erp ? { ...input.event, erp } : input.event);
      const timestamp = String(Math.floor(Date.now() / 1000));
      let response: Response;
      try {
        response = await post(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-fepa-event': input.event.eventId,
            'x-fepa-timestamp': timestamp,
            // While a rotated secret overlaps, both sign: receivers accept either.
            'x-fepa-signature': webhook.secrets.map((s) => webhookSignature(s, timestamp, body)).join(','),
          },
          body,
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
      } catch (err) {
        // Checked again at delivery: the operator's list may have narrowed, the host's DNS changed.
        if (err instanceof OutboundRefused)
          throw ApplicationFailure.nonRetryable(err.message, 'WebhookHostNotAllowed');
        throw ApplicationFailure.create({
          type: 'WebhookUnreachable',
          message: `webhook ${new URL(webhook.url).host} unreachable: ${(err as Error).message}`,
        });
      }
      if (response.status < 200 || response.status >= 300) {
        throw ApplicationFailure.create({
          type: 'WebhookRefused',
          message: `webhook answered HTTP ${response.status}`,
        });
      }
      return { delivered: true, status: response.status };
    },
  };
}

export type WebhookActivities = ReturnType<typeof createWebhookActivities>;
