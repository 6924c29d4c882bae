import { readFileSync } from 'node:fs';
import { ErpReferenceSchema } from '../../app/services/erp-reference.js';
import { join } from 'node:path';
import { z } from 'zod';
import { documentLinks } from '../../common/document-links.js';
import { PROJECT_ROOT } from '../../platform/config/settings.js';
import type { Caller } from '../../app/services/api-key-service.js';
import type { ActionOutcome, DocumentActions } from '../../app/services/document-actions.js';
import type { CafeService } from '../../app/services/cafe-service.js';
import type { DeliveryService } from '../../app/services/delivery-service.js';
import type { DocumentService } from '../../app/services/document-service.js';
import { CAFE_FORMATS } from '../../domain/cafe/render-cafe.js';
import { DocumentSchema } from '../../domain/dgi-document/index.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import {
  ActionResultSchema,
  DocumentAcceptedSchema,
  DocumentDetailSchema,
  DeliveryStartedSchema,
  DocumentListSchema,
} from '../response-schemas.js';
import { decodeCursor, nextCursor } from '../page-cursor.js';

const Action = z.strictObject({ actor: z.string().min(1).max(100), reason: z.string().max(500).optional() });
const AnnulAction = z.strictObject({
  actor: z.string().min(1).max(100),
  reason: z.string().min(15).max(500),
});
const Correction = z.strictObject({
  actor: z.string().min(1).max(100),
  reason: z.string().max(500).optional(),
  document: z.record(z.string(), z.unknown()),
});
const DocumentedCorrection = Correction.extend({ document: DocumentSchema });
const DeliverRequest = z.strictObject({
  actor: z.string().min(1).max(100),
  to: z.email().max(100).optional(),
});
const CafeQuery = z.strictObject({
  format: z.enum(CAFE_FORMATS).optional(),
  /** true: a document not signed yet gets its pending-authorization copy (no CUFE, no QR). */
  provisional: z.enum(['true', 'false']).optional(),
});
const ListQuery = z.strictObject({
  status: z.string().max(40).optional(),
  type: z
    .string()
    .regex(/^[0-9]{2}$/)
    .optional(),
  number: z
    .string()
    .regex(/^[0-9]{1,10}$/)
    .optional(),
  cufe: z
    .string()
    .regex(/^FE[0-9A-Z-]{64}$/)
    .optional(),
  erp: z
    .string()
    .regex(/^[\x21-\x7e]{1,100}$/)
    .optional()
    .describe("The ERP's unique code (erp.uniqueCode)"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

/** The spec's sample invoice, as the reference's example body. */
const INVOICE_EXAMPLE: unknown = JSON.parse(
  readFileSync(join(PROJECT_ROOT, 'docs/examples/invoice-spec-example.json'), 'utf8'),
);

/**
 * An operator action from a request body: who acted, as the caller says, and with which key (the audit
 * trail in the workflow's history).
 */
const actionBy = (body: { actor: string; reason?: string | undefined }, caller: Caller) => ({
  actor: `${body.actor} (key ${caller.keyPrefix})`,
  ...(body.reason ? { reason: body.reason } : {}),
});

const documentNotFound = (id: string) =>
  new HttpProblem({
    type: 'not-found',
    title: 'Document not found',
    status: 404,
    detail: `There is no document ${id} for this company.`,
  });

/** A refused action is a 409 with the workflow's reason; written once for every action. */
function actionAnswer(outcome: ActionOutcome, name: string, documentId: string) {
  switch (outcome.outcome) {
    case 'not-found':
      throw documentNotFound(documentId);
    case 'refused':
      throw new HttpProblem({
        type: 'action-refused',
        title: `${name} refused`,
        status: 409,
        detail: outcome.reason,
      });
    case 'done':
      return { id: documentId, status: outcome.state.status, state: outcome.state };
  }
}

/** Fiscal documents of a company: create, read (live state), list, XML, and operator actions. */
export function documentRoutes(deps: {
  documents: DocumentService;
  actions: DocumentActions;
  cafes: CafeService;
  deliveries: DeliveryService;
}): AnyRoute[] {
  const actionRoutes = (
    [
      ['submit', Action, 'Submit to the PAC (documents held with autoSubmit off)'],
      ['resubmit', Action, 'Resubmit after a rejection or an error needing support'],
      ['annul', AnnulAction, 'Annul an authorized document'],
      ['cancel', Action, 'Cancel a document never authorized (its number stays used)'],
    ] as const
  ).map(([name, schema, summary]) =>
    defineRoute({
      method: 'post',
      path: `/v1/companies/:companyId/documents/:documentId/${name}`,
      access: 'operator',
      tag: 'Operator actions',
      summary,
      body: schema as typeof Action,
      responses: {
        200: {
          description:
            'Applied; the state it led to. A cancel or annulment still waiting for the PAC after 10 s answers the state as it is (the status then shows where it goes).',
          schema: ActionResultSchema,
        },
        409: {
          description:
            'Refused, in the current state or by what the PAC holds (for example a cancel of a document the PAC authorized); the detail says why',
        },
      },
      async handle({ res, body, params, caller }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const done = await deps.actions.act(companyId, documentId, name, actionBy(body, caller));
        res.json(actionAnswer(done, name, documentId));
      },
    }),
  );

  return [
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/documents',
      access: 'integrator',
      tag: 'Documents',
      summary: 'Issue a document (invoice, credit or debit note…)',
      description:
        'The DGI document in JSON with the DGI field names. Omit `dNroDF` to let fepa allocate the next number, ' +
        '`dFechaEm` to let fepa stamp the time it accepted the request. An optional `erp` block carries the ' +
        "ERP's own references (outside the signed XML; `erp.uniqueCode` unique per company); `lineDecimals` (2 or 6) " +
        "how fepa computes item amounts, overriding the company's document-settings. " +
        'Sending the same document again answers 200 with the same id; another document with the same number, ' +
        'or with the same `erp.uniqueCode`, 409.',
      documentedBody: DocumentSchema.extend({
        erp: ErpReferenceSchema.optional(),
        lineDecimals: z
          .union([z.literal(2), z.literal(6)])
          .optional()
          .describe(
            "Item amounts fepa computes: 2 (rounded per line) or 6; default: the company's document-settings",
          ),
      }),
      example: INVOICE_EXAMPLE,
      responses: {
        202: {
          description: 'Accepted: the workflow builds, signs, submits and polls',
          schema: DocumentAcceptedSchema,
        },
        200: { description: 'The same document was already received', schema: DocumentAcceptedSchema },
        409: { description: 'Another document uses this number' },
      },
      async handle({ req, res, params }) {
        const companyId = params.companyId!;
        const result = await deps.documents.create(companyId, req.body, {
          idempotencyKey: req.get('idempotency-key'),
        });
        switch (result.outcome) {
          case 'company-not-found':
            throw companyNotFound(companyId);
          case 'invalid':
            throw new HttpProblem({
              type: 'validation',
              title: 'The document is not valid',
              status: 400,
              detail: `${result.issues.length} issue(s); fix them all and send the document again.`,
              issues: result.issues.map((i) => ({
                path: i.path,
                rule: i.rule,
                message: i.message,
                ...(i.field ? { field: i.field } : {}),
                ...(i.value === undefined ? {} : { value: i.value }),
              })),
            });
          case 'erp-conflict':
            throw new HttpProblem({
              type: 'conflict',
              title: 'ERP code already used',
              status: 409,
              detail: `Another document of this company (${result.documentId}) has erp.uniqueCode ${result.erpCode}.`,
              issues: [
                { path: 'erp.uniqueCode', rule: 'unique', message: 'already used by another document' },
              ],
            });
          case 'conflict':
            throw new HttpProblem({
              type: 'conflict',
              title: 'Number already used',
              status: 409,
              detail: 'A different document with this number, type, branch and point of sale exists.',
              workflowId: result.workflowId,
            });
          case 'created':
          case 'existing':
            res
              .status(result.outcome === 'created' ? 202 : 200)
              .location(documentLinks(companyId, result.documentId).self)
              .json({
                id: result.documentId,
                workflowId: result.workflowId,
                status: result.outcome === 'created' ? 'received' : 'existing',
                links: documentLinks(companyId, result.documentId),
              });
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/documents',
      access: 'integrator',
      tag: 'Documents',
      summary: 'List documents, newest first (filters and a cursor)',
      query: ListQuery,
      responses: { 200: { description: 'A page', schema: DocumentListSchema } },
      async handle({ res, query, params }) {
        const after = query.cursor ? decodeCursor(query.cursor) : undefined;
        const rows = await deps.actions.list(params.companyId!, {
          status: query.status,
          docType: query.type,
          number: query.number?.padStart(10, '0'),
          cufe: query.cufe,
          erpCode: query.erp,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
          limit: query.limit,
          after,
        });
        res.json({ items: rows, nextCursor: nextCursor(rows, query.limit) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/documents/:documentId',
      access: 'integrator',
      tag: 'Documents',
      summary: 'One document with its live state',
      responses: { 200: { description: 'The document', schema: DocumentDetailSchema } },
      async handle({ res, params }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const found = await deps.actions.detail(companyId, documentId);
        if (!found) throw documentNotFound(documentId);
        res.json({
          ...found.row,
          state: found.state,
          ...(found.stateUnavailable ? { stateUnavailable: found.stateUnavailable } : {}),
          deliveries: await deps.deliveries.list(documentId),
          links: documentLinks(companyId, documentId, { signed: found.row.signed }),
        });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/documents/:documentId/xml',
      access: 'integrator',
      tag: 'Documents',
      summary: 'The signed XML (rFE) as sent to the PAC',
      responses: {
        200: { description: 'The signed rFE', contentType: 'application/xml' },
        409: { description: 'Not signed yet' },
      },
      async handle({ res, params }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const xml = await deps.actions.signedXml(companyId, documentId);
        if (xml === undefined) throw documentNotFound(documentId);
        if (xml === null)
          throw new HttpProblem({
            type: 'not-signed',
            title: 'Not signed yet',
            status: 409,
            detail: 'The document has no signed XML yet.',
          });
        res.type('application/xml').send(xml);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/documents/:documentId/cafe',
      access: 'integrator',
      tag: 'Documents',
      summary: 'The CAFE (printable copy with the QR) as PDF',
      description:
        "Printed from the stored signed XML. `format`: `roll` (80 mm tape), `roll58` (58 mm tape) or `letter`; without it, the document's `iFormCAFE` decides (2: roll, otherwise letter). Before authorization the CAFE says it is pending; a contingency document says so. `provisional=true`: a document nobody could sign yet (its PAC signs and cannot be reached) gets a pending-authorization copy without CUFE or QR (header `fepa-copy: provisional`).",
      query: CafeQuery,
      responses: {
        200: { description: 'The CAFE', contentType: 'application/pdf' },
        409: { description: 'Not signed yet' },
      },
      async handle({ res, params, query }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const cafe = await deps.cafes.cafe(companyId, documentId, query.format, {
          provisional: query.provisional === 'true',
        });
        if (cafe.outcome === 'not-found') throw documentNotFound(documentId);
        if (cafe.outcome !== 'ok')
          throw new HttpProblem({
            type: 'not-signed',
            title: 'No CAFE for this document',
            status: 409,
            detail:
              cafe.outcome === 'not-signed'
                ? 'The document has no signed XML yet: its CAFE exists once it is signed. ?provisional=true gives a pending-authorization copy (no CUFE, no QR, not a fiscal document) once it is built.'
                : `The stored document cannot be printed: ${cafe.reason}.`,
          });
        res
          .type('application/pdf')
          .setHeader('content-disposition', `inline; filename="${cafe.fileName}"`)
          .setHeader('fepa-copy', cafe.provisional ? 'provisional' : 'cafe')
          .send(cafe.pdf);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/documents/:documentId/deliver',
      access: 'operator',
      tag: 'Documents',
      summary: 'E-mail the CAFE and the signed XML to the receiver again (or to another address)',
      description:
        "Starts a delivery of its own (retried until sent or given up); its outcome appears in the document's `deliveries`. Without `to`, the receiver's address (gDatRec/dCorElectRec) is used.",
      body: DeliverRequest,
      example: { actor: 'ana.soporte', to: 'compras@cliente-ejemplo.com' },
      responses: {
        202: { description: 'The delivery started', schema: DeliveryStartedSchema },
        409: { description: 'Nothing to send yet, or no address' },
      },
      async handle({ res, params, body, caller }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const done = await deps.deliveries.resend(companyId, documentId, {
          actor: actionBy(body, caller).actor,
          to: body.to,
        });
        if (done.outcome === 'not-found') throw documentNotFound(documentId);
        if (done.outcome === 'refused')
          throw new HttpProblem({
            type: 'action-refused',
            title: 'Delivery refused',
            status: 409,
            detail: done.reason,
          });
        res.status(202).json({ workflowId: done.workflowId, address: done.address, status: 'sending' });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/documents/:documentId/correct',
      access: 'operator',
      tag: 'Operator actions',
      summary: 'Correct a document rejected for XML errors; it is resent with the same number',
      body: Correction,
      documentedBody: DocumentedCorrection,
      responses: {
        200: { description: 'Applied; the state it led to', schema: ActionResultSchema },
        409: { description: 'Refused in the current state' },
      },
      async handle({ res, body, params, caller }) {
        const { companyId, documentId } = params as { companyId: string; documentId: string };
        const result = await deps.documents.correct(
          companyId,
          documentId,
          body.document,
          actionBy(body, caller),
        );
        if (result.outcome === 'invalid')
          throw new HttpProblem({
            type: 'validation',
            title: 'The correction is not valid',
            status: 400,
            issues: result.issues.map((i) => ({
              path: `document.${i.path}`,
              rule: i.rule,
              message: i.message,
            })),
          });
        res.json(actionAnswer(result, 'correction', documentId));
      },
    }),
    ...actionRoutes,
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/documents/retry-all',
      access: 'operator',
      tag: 'Operator actions',
      summary: 'Resubmit every document waiting for a retry',
      body: Action,
      responses: {
        200: {
          description: 'What was resubmitted',
          schema: z.object({
            total: z.number(),
            resubmitted: z.number(),
            results: z.array(z.looseObject({})),
          }),
        },
      },
      async handle({ res, body, params, caller }) {
        const results = await deps.actions.retryAll(params.companyId!, actionBy(body, caller));
        res.json({
          total: results.length,
          resubmitted: results.filter((r) => r.resubmitted).length,
          results,
        });
      },
    }),
  ];
}
