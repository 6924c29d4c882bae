import { z } from 'zod';
import type { PacSettingsService } from '../../app/services/pac-settings-service.js';
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
export function pacSettingsRoutes(deps: { pacSettings: PacSettingsService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/pac',
      access: 'admin',
      tag: 'PAC',
      summary: 'Which PAC the company uses (credentials are never returned)',
      responses: { 200: { description: 'Settings', schema: PacSettingsSchema } },
      async handle({ res, params }) {
        res.json(await deps.pacSettings.find(params.companyId!));
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
        const done = await deps.pacSettings.save({
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
        if ('refused' in done) {
          const { field, rule, message } = done.refused;
          throw invalidRequest([{ path: field, rule, message }], message);
        }
        res.json(done.saved);
      },
    }),
  ];
}
