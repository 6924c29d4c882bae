import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { z } from 'zod';
import type { SecretBox } from '../../secrets/secret-box.js';
import { findCompany } from '../../storage/company-store.js';
import type { Sql } from '../../storage/database.js';
import { findWebhookUrl, saveWebhook } from '../../storage/webhook-store.js';
import { HttpProblem } from '../problem.js';
import { parseBody } from '../validation.js';
import { companyNotFound } from './companies.js';

const WebhookRequest = z.strictObject({
  url: z.url({ protocol: /^https?$/ }),
  /** Omitted: fepa generates one. Sending a new one rotates it. */
  secret: z.string().min(16).max(200).optional(),
});

/** A company's webhook: every state change of its documents is POSTed there, signed with HMAC-SHA256. */
export function webhookRoutes(deps: { sql: Sql; box: SecretBox }): Router {
  const router = Router();
  router.put('/v1/companies/:companyId/webhook', async (req, res) => {
    if (!(await findCompany(deps.sql, req.params.companyId))) throw companyNotFound(req.params.companyId);
    const body = parseBody(WebhookRequest, req.body);
    const secret = body.secret ?? randomBytes(32).toString('hex');
    await saveWebhook(deps.sql, deps.box, req.params.companyId, body.url, secret);
    // The secret is shown once, when it is set; afterwards only the URL.
    res.json({
      url: body.url,
      secret,
      signature: 'X-Fepa-Signature: sha256=HMAC(secret, X-Fepa-Timestamp + "." + body)',
    });
  });
  router.get('/v1/companies/:companyId/webhook', async (req, res) => {
    const url = await findWebhookUrl(deps.sql, req.params.companyId);
    if (!url)
      throw new HttpProblem({
        type: 'not-found',
        title: 'No webhook',
        status: 404,
        detail: 'The company has no webhook.',
      });
    res.json({ url });
  });
  return router;
}
