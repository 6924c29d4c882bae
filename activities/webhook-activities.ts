import { createHmac } from 'node:crypto';
import { lookup } from 'node:dns/promises';
import { ApplicationFailure } from '@temporalio/activity';
import type { WebhookEvent } from '../common/webhook-event.js';
import { isInternalAddress, webhookHostMatch } from '../webhooks/allowed-hosts.js';
import type { SecretBox } from '../secrets/secret-box.js';
import type { Sql } from '../storage/database.js';
import { openWebhook } from '../storage/webhook-store.js';

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
  resolve?: (host: string) => Promise<string[]>;
}) {
  const resolve =
    deps.resolve ?? (async (host: string) => (await lookup(host, { all: true })).map((a) => a.address));
  return {
    /** POSTs one event; anything but a 2xx throws, and Temporal retries (with backoff) until it is delivered. */
    async deliverWebhook(input: {
      companyId: string;
      event: WebhookEvent;
    }): Promise<{ delivered: boolean; status?: number }> {
      const webhook = await openWebhook(deps.sql, deps.box, input.companyId);
      if (!webhook) return { delivered: false };
      const host = new URL(webhook.url).hostname;
      const match = webhookHostMatch(webhook.url, deps.allowedHosts);
      if (!match) {
        throw ApplicationFailure.nonRetryable(
          `webhook host ${host} is not in FEPA_WEBHOOK_ALLOWED_HOSTS`,
          'WebhookHostNotAllowed',
        );
      }
      if (match === 'wildcard') {
        const internal = (await resolve(host)).filter(isInternalAddress);
        if (internal.length > 0) {
          throw ApplicationFailure.nonRetryable(
            `webhook host ${host} resolves to an internal address (${internal.join(', ')}); only hosts listed exactly may`,
            'WebhookHostNotAllowed',
          );
        }
      }
      const body = JSON.stringify(input.event);
      const timestamp = String(Math.floor(Date.now() / 1000));
      let response: Response;
      try {
        response = await fetch(webhook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            'x-fepa-event': input.event.eventId,
            'x-fepa-timestamp': timestamp,
            // While a rotated secret overlaps, both sign: receivers accept either.
            'x-fepa-signature': webhook.secrets.map((s) => webhookSignature(s, timestamp, body)).join(','),
          },
          body,
          redirect: 'manual',
          signal: AbortSignal.timeout(deps.timeoutMs ?? 10_000),
        });
      } catch (err) {
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
