import { Router } from 'express';
import { z } from 'zod';
import type { SecretBox } from '../../secrets/secret-box.js';
import { findCompany } from '../../storage/company-store.js';
import type { Sql } from '../../storage/database.js';
import { findPacSettings, savePacSettings } from '../../storage/pac-settings-store.js';
import { parseBody } from '../validation.js';
import { companyNotFound } from './companies.js';

const PacSettingsRequest = z
  .strictObject({
    pac: z.enum(['sandbox', 'aludra', 'edoc']),
    baseUrl: z.url({ protocol: /^https?$/ }).optional(),
    autoSubmit: z.boolean().default(true),
    aludra: z
      .strictObject({
        apiKey: z.string().min(8).max(500),
        companyCode: z.string().min(1).max(100),
        subscriptionKey: z.string().max(500).optional(),
      })
      .optional(),
    edoc: z
      .strictObject({ user: z.string().min(1).max(200), password: z.string().min(1).max(500) })
      .optional(),
  })
  .superRefine((v, ctx) => {
    if (v.pac === 'aludra' && !v.aludra)
      ctx.addIssue({
        code: 'custom',
        path: ['aludra'],
        message: 'Aludra needs apiKey and companyCode',
        params: { rule: 'required' },
      });
    if (v.pac === 'edoc' && !v.edoc)
      ctx.addIssue({
        code: 'custom',
        path: ['edoc'],
        message: 'eDoc needs user and password',
        params: { rule: 'required' },
      });
  });

/** A company's PAC (sandbox, Aludra, eDoc), its credentials (sealed, never returned) and automatic submission. */
export function pacSettingsRoutes(deps: { sql: Sql; box: SecretBox }): Router {
  const router = Router();
  router.get('/v1/companies/:companyId/pac', async (req, res) => {
    if (!(await findCompany(deps.sql, req.params.companyId))) throw companyNotFound(req.params.companyId);
    res.json(await findPacSettings(deps.sql, req.params.companyId));
  });
  router.put('/v1/companies/:companyId/pac', async (req, res) => {
    if (!(await findCompany(deps.sql, req.params.companyId))) throw companyNotFound(req.params.companyId);
    const body = parseBody(PacSettingsRequest, req.body);
    await savePacSettings(deps.sql, deps.box, {
      companyId: req.params.companyId,
      pac: body.pac,
      baseUrl: body.baseUrl,
      autoSubmit: body.autoSubmit,
      credentials:
        body.pac === 'aludra'
          ? { aludra: body.aludra! }
          : body.pac === 'edoc'
            ? { edoc: body.edoc! }
            : undefined,
    });
    res.json(await findPacSettings(deps.sql, req.params.companyId));
  });
  return router;
}
