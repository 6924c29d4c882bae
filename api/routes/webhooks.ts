import { randomBytes } from 'node:crypto';
import { z } from 'zod';
import { checkOutboundUrl, webhookRule } from '../../platform/outbound/outbound-guard.js';
import type { SecretBox } from '../../platform/secrets/secret-box.js';
import type { Sql } from '../../platform/storage/database.js';
import { findWebhook, rotateWebhookSecret, saveWebhook } from '../../platform/storage/webhook-store.js';
import { HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import { invalidRequest } from '../validation.js';

const WebhookRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  secret: z
    .string()
    .min(16)
    .max(200)
    .optional()
    .describe(
      'Omitted: fepa generates one. Replaces the current secret at once (use rotate-secret to overlap)',
    ),
});

const SIGNATURE_HELP =
  'X-Fepa-Signature: sha256=HMAC(secret, X-Fepa-Timestamp + "." + body); during a rotation two, comma-separated';

const WebhookSecretSchema = z.object({ url: z.string(), secret: z.string(), signature: z.string() });

const noWebhook = () =>
  new HttpProblem({
    type: 'not-found',
    title: 'No webhook',
    status: 404,
    detail: 'The company has no webhook.',
  });

/** A company's webhook: every state change of its documents is POSTed there, signed with HMAC-SHA256. */
export function webhookRoutes(deps: {
  sql: Sql;
  box: SecretBox;
  allowedHosts: readonly string[];
  overlapHours: number;
}): AnyRoute[] {
  const newSecret = () => randomBytes(32).toString('hex');
  return [
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/webhook',
      access: 'admin',
      tag: 'Webhook',
      summary: 'Set the webhook URL (and its secret, shown once)',
      description: 'The host must be allowed by the operator (`FEPA_WEBHOOK_ALLOWED_HOSTS`).',
      body: WebhookRequest,
      responses: { 200: { description: 'Saved', schema: WebhookSecretSchema } },
      async handle({ res, body, params }) {
        const check = checkOutboundUrl(body.url, webhookRule(deps.allowedHosts));
        if (!check.ok)
          throw invalidRequest([{ path: 'url', rule: check.rule, message: check.message }], check.message);
        const secret = body.secret ?? newSecret();
        await saveWebhook(deps.sql, deps.box, params.companyId!, body.url, secret);
        res.json({ url: body.url, secret, signature: SIGNATURE_HELP });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/webhook',
      access: 'admin',
      tag: 'Webhook',
      summary: 'The webhook URL (never the secret)',
      responses: {
        200: {
          description: 'The webhook',
          schema: z.object({ url: z.string(), previousSecretUntil: z.string().nullable() }),
        },
      },
      async handle({ res, params }) {
        const webhook = await findWebhook(deps.sql, params.companyId!);
        if (!webhook) throw noWebhook();
        res.json(webhook);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/webhook/rotate-secret',
      access: 'admin',
      tag: 'Webhook',
      summary: 'Rotate the webhook secret; the old one keeps signing for an overlap',
      responses: {
        200: {
          description: 'The new secret (shown once) and when the old one stops signing',
          schema: WebhookSecretSchema.extend({ previousValidUntil: z.string() }),
        },
      },
      async handle({ res, params }) {
        const secret = newSecret();
        const rotated = await rotateWebhookSecret(
          deps.sql,
          deps.box,
          params.companyId!,
          secret,
          deps.overlapHours,
        );
        if (!rotated) throw noWebhook();
        const webhook = await findWebhook(deps.sql, params.companyId!);
        res.json({
          url: webhook!.url,
          secret,
          previousValidUntil: rotated.previousValidUntil.toISOString(),
          signature: SIGNATURE_HELP,
        });
      },
    }),
  ];
}
