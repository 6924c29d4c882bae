import { z } from 'zod';
import type { SecretBox } from '../../secrets/secret-box.js';
import type { Sql } from '../../storage/database.js';
import { findPacSettings, savePacSettings } from '../../storage/pac-settings-store.js';
import { checkOutboundUrl } from '../../outbound/outbound-guard.js';
import { pacAddressRule } from '../../pac/pac-hosts.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import { PacSettingsSchema } from '../response-schemas.js';
import { invalidRequest } from '../validation.js';

const PacSettingsRequest = z
  .strictObject({
    pac: z.enum(['sandbox', 'aludra', 'edoc', 'hka']),
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
    hka: z
      .strictObject({
        tokenEmpresa: z.string().min(1).max(500),
        tokenPassword: z.string().min(1).max(500),
      })
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
    if (v.pac === 'hka' && !v.hka)
      ctx.addIssue({
        code: 'custom',
        path: ['hka'],
        message: 'The Factory HKA needs tokenEmpresa and tokenPassword',
        params: { rule: 'required' },
      });
  });

/** A company's PAC (sandbox, Aludra, eDoc, The Factory HKA), its credentials (sealed, never returned) and automatic submission. */
export function pacSettingsRoutes(deps: {
  sql: Sql;
  box: SecretBox;
  /** FEPA_PAC_ALLOWED_HOSTS: hosts a PAC address may use beside the PACs' published ones. */
  pacAllowedHosts: readonly string[];
}): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/pac',
      access: 'admin',
      tag: 'PAC',
      summary: 'Which PAC the company uses (credentials are never returned)',
      responses: { 200: { description: 'Settings', schema: PacSettingsSchema } },
      async handle({ res, params }) {
        res.json(await findPacSettings(deps.sql, params.companyId!));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/pac',
      access: 'admin',
      tag: 'PAC',
      summary: 'Choose the PAC and set its credentials',
      description:
        "`baseUrl` must be on one of the PAC's published hosts (https), or on a host the operator allows " +
        '(`FEPA_PAC_ALLOWED_HOSTS`); anything else is refused, naming `baseUrl`.',
      body: PacSettingsRequest,
      responses: { 200: { description: 'Saved', schema: PacSettingsSchema } },
      async handle({ res, body, params }) {
        if (body.baseUrl) {
          const check = checkOutboundUrl(body.baseUrl, pacAddressRule(body.pac, deps.pacAllowedHosts));
          if (!check.ok)
            throw invalidRequest(
              [{ path: 'baseUrl', rule: check.rule, message: check.message }],
              check.message,
            );
        }
        await savePacSettings(deps.sql, deps.box, {
          companyId: params.companyId!,
          pac: body.pac,
          baseUrl: body.baseUrl,
          autoSubmit: body.autoSubmit,
          credentials:
            body.pac === 'aludra'
              ? { aludra: body.aludra! }
              : body.pac === 'edoc'
                ? { edoc: body.edoc! }
                : body.pac === 'hka'
                  ? { hka: body.hka! }
                  : undefined,
        });
        res.json(await findPacSettings(deps.sql, params.companyId!));
      },
    }),
  ];
}
