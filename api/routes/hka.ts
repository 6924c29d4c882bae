import { z } from 'zod';
import type {
  FolioView,
  PacAccountRefusal,
  PacAccountService,
} from '../../app/services/pac-account-service.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';

const FolioViewSchema = z
  .object({
    companyId: z.string(),
    threshold: z.number(),
    low: z.boolean(),
    latest: z.object({}).passthrough().optional(),
  })
  .meta({ id: 'HkaFolios' });

const RucInfoSchema = z
  .object({
    ruc: z.string(),
    type: z.enum(['1', '2']),
    dv: z.string(),
    name: z.string(),
    enrolled: z.boolean(),
    source: z
      .enum(['cache', 'pac'])
      .describe("'pac': asked through the company's PAC account now; 'cache': a recent answer"),
  })
  .meta({ id: 'RucLookup' });

const HkaSettingsRequest = z
  .strictObject({
    /** Warn (log, webhook `folios.low`, company status) when fewer folios than this are left. */
    folioAlertThreshold: z.number().int().min(0).max(10_000_000).optional(),
    /** Look up a contributor receiver's RUC before submitting (cached; never blocks when HKA is slow). */
    checkReceiverRuc: z.boolean().optional(),
  })
  .refine((v) => v.folioAlertThreshold !== undefined || v.checkReceiverRuc !== undefined, {
    message: 'give folioAlertThreshold, checkReceiverRuc or both',
  });

const RucQuery = z.strictObject({ type: z.enum(['1', '2']) });

function refusalProblem(companyId: string, r: PacAccountRefusal): HttpProblem {
  switch (r.refused) {
    case 'company-not-found':
      return companyNotFound(companyId);
    case 'no-account-services':
      return new HttpProblem({
        type: 'not-hka',
        title: 'The company does not use The Factory HKA',
        status: 409,
        detail: `Its PAC is ${r.pac}; folios and RUC look-ups go through an HKA account.`,
      });
    case 'pac-said':
      return new HttpProblem({
        type: 'hka-refused',
        title: 'The Factory HKA refused the request',
        status: r.code === '102' ? 404 : 502,
        detail: `HKA ${r.code}: ${r.message}`,
      });
    case 'pac-unavailable':
      return new HttpProblem({
        type: 'hka-unavailable',
        title: 'The Factory HKA did not answer',
        status: 504,
        detail: r.message,
      });
  }
}

function answer<T extends object>(companyId: string, done: T | PacAccountRefusal): T {
  if ('refused' in done) throw refusalProblem(companyId, done);
  return done;
}

/** The Factory HKA's account services (docs/pac/hka.md): prepaid folios and the DGI's RUC registry. */
export function hkaRoutes(deps: { hka: PacAccountService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/folios',
      access: 'integrator',
      tag: 'HKA',
      summary:
        "The company's prepaid HKA folios: the last reading and whether it is under the alert threshold",
      responses: {
        200: { description: 'Folios', schema: FolioViewSchema },
        409: { description: 'Not an HKA company' },
      },
      async handle({ res, params }) {
        res.json(answer<FolioView>(params.companyId!, await deps.hka.folios(params.companyId!)));
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/folios/check',
      access: 'operator',
      tag: 'HKA',
      summary: 'Read the folios from HKA now (FoliosRestantes), recorded and alerted like the daily read',
      responses: {
        200: { description: 'Folios', schema: FolioViewSchema },
        502: { description: 'HKA refused' },
        504: { description: 'HKA did not answer' },
      },
      async handle({ res, params }) {
        res.json(answer<FolioView>(params.companyId!, await deps.hka.readFoliosNow(params.companyId!)));
      },
    }),
    defineRoute({
      method: 'put',
      path: '/v1/companies/:companyId/hka-settings',
      access: 'admin',
      tag: 'HKA',
      summary: 'The folio alert threshold and the receiver RUC check of an HKA company',
      body: HkaSettingsRequest,
      example: { folioAlertThreshold: 200, checkReceiverRuc: true },
      responses: { 200: { description: 'Saved' } },
      async handle({ res, params, body }) {
        const settings = {
          ...(body.folioAlertThreshold === undefined
            ? {}
            : { folioAlertThreshold: body.folioAlertThreshold }),
          ...(body.checkReceiverRuc === undefined ? {} : { checkReceiverRuc: body.checkReceiverRuc }),
        };
        res.json(answer(params.companyId!, await deps.hka.saveSettings(params.companyId!, settings)));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/ruc/:ruc',
      access: 'integrator',
      tag: 'HKA',
      summary: "Look up a RUC in the DGI registry through the company's HKA account: DV, name, e-invoicing",
      query: RucQuery,
      responses: {
        200: { description: 'Found', schema: RucInfoSchema },
        404: { description: 'Not a registered contributor' },
        504: { description: 'HKA did not answer' },
      },
      async handle({ res, params, query }) {
        const found = answer(
          params.companyId!,
          await deps.hka.lookUpRuc(params.companyId!, query.type, params.ruc!),
        );
        res.json({ ...found.info, source: found.source });
      },
    }),
  ];
}
