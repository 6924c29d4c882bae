import multer from 'multer';
import { z } from 'zod';
import type { Caller } from '../../app/services/api-key-service.js';
import type { ReceivedService } from '../../app/services/received-service.js';
import { MANIFESTATION_CODES, RECEIVED_STATUSES, receivedLinks } from '../../common/received-document.js';
import { CAFE_FORMATS } from '../../domain/cafe/render-cafe.js';
import { RECEIVED_LIMITS } from '../../domain/receiving/received-limits.js';
import { PERIOD_PATTERN, panamaMonth } from '../../domain/dgi-document/panama-time.js';
import type { ReceivedRow } from '../../platform/storage/received-store.js';
import { companyNotFound, HttpProblem } from '../problem.js';
import { defineRoute, type AnyRoute } from '../route-definition.js';
import { decodeCursor, nextCursor } from '../page-cursor.js';

const upload = multer({
  storage: multer.memoryStorage(),
  limits: { fileSize: RECEIVED_LIMITS.documentBytes, files: 2, fields: 0 },
});

const MultipartIntake = z.object({
  xml: z.string().describe("The supplier's signed rFE (file field `xml`)"),
  cafe: z.string().optional().describe('Its CAFE PDF, kept with the message (optional file field `cafe`)'),
});

const ListQuery = z.strictObject({
  status: z.enum(RECEIVED_STATUSES).optional(),
  supplier: z
    .string()
    .regex(/^[0-9A-Z-]{1,20}$/)
    .optional()
    .describe("The supplier's RUC"),
  type: z
    .string()
    .regex(/^[0-9]{2}$/)
    .optional(),
  period: z.string().regex(PERIOD_PATTERN).optional().describe('Issue month, YYYY-MM (Panama time)'),
  minTotal: z
    .string()
    .regex(/^[0-9]{1,16}(\.[0-9]{1,2})?$/)
    .optional(),
  maxTotal: z
    .string()
    .regex(/^[0-9]{1,16}(\.[0-9]{1,2})?$/)
    .optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const ManifestBody = z.strictObject({
  code: z.enum(Object.keys(MANIFESTATION_CODES) as [string, ...string[]]).describe(
    Object.entries(MANIFESTATION_CODES)
      .map(([c, m]) => `${c} ${m}`)
      .join('; '),
  ),
  reason: z.string().min(15).max(500).optional(),
  actor: z.string().min(1).max(100),
});

const CafeQuery = z.strictObject({ format: z.enum(CAFE_FORMATS).optional() });

const ReceivedSummary = z
  .looseObject({ id: z.uuid(), cufe: z.string(), status: z.string(), supplierRuc: z.string() })
  .meta({ id: 'ReceivedDocument' });

const notFound = (id: string) =>
  new HttpProblem({
    type: 'not-found',
    title: 'Received document not found',
    status: 404,
    detail: `There is no received document ${id} for this company.`,
  });

const summary = (row: ReceivedRow) => ({ ...row, links: receivedLinks(row.companyId, row.id) });

const actorOf = (actor: string, caller: Caller) => `${actor} (key ${caller.keyPrefix})`;

/** Suppliers' documents: intake, list and search, one with its report, XML and CAFE, the manifestation. */
export function receivedRoutes(deps: { received: ReceivedService }): AnyRoute[] {
  return [
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/received',
      access: 'integrator',
      tag: 'Received documents',
      summary: "Receive a supplier's document (its signed XML)",
      description:
        "The supplier's signed rFE as `application/xml`, or multipart with the XML in `xml` (and its CAFE PDF in " +
        "`cafe`). fepa verifies it and confirms it with the DGI through the company's PAC in the background. " +
        'The same CUFE again (by any door: API, mailbox, PAC) answers 200 with the first record.',
      xmlBody: {
        description: "The supplier's signed rFE",
        limitBytes: RECEIVED_LIMITS.documentBytes,
      },
      multipart: MultipartIntake,
      before: [
        upload.fields([
          { name: 'xml', maxCount: 1 },
          { name: 'cafe', maxCount: 1 },
        ]),
      ],
      responses: {
        202: {
          description: 'Received: verification and the DGI check run in the background',
          schema: ReceivedSummary,
        },
        200: { description: 'This CUFE was already received: the first record', schema: ReceivedSummary },
        400: { description: 'Not a document fepa can read (not XML, a DTD, no valid CUFE): nothing is kept' },
      },
      async handle({ req, res, params }) {
        const files = req.files as Record<string, Express.Multer.File[] | undefined> | undefined;
        const xml =
          files?.xml?.[0]?.buffer.toString('utf8') ?? (typeof req.body === 'string' ? req.body : '');
        if (!xml.trim())
          throw new HttpProblem({
            type: 'validation',
            title: 'The request is not valid',
            status: 400,
            detail: "Send the supplier's signed XML as application/xml, or multipart with the file in `xml`.",
            issues: [{ path: '(body)', rule: 'required', message: 'an XML document is required' }],
          });
        const result = await deps.received.receive(params.companyId!, xml, 'api');
        switch (result.outcome) {
          case 'company-not-found':
            throw companyNotFound(params.companyId!);
          case 'refused':
            throw new HttpProblem({
              type: 'validation',
              title: 'Not a document fepa can receive',
              status: 400,
              detail: result.refusal.message,
              issues: [result.refusal],
            });
          case 'created':
          case 'existing':
            res
              .status(result.outcome === 'created' ? 202 : 200)
              .location(receivedLinks(params.companyId!, result.row.id).self)
              .json(summary(result.row));
        }
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/received',
      access: 'integrator',
      tag: 'Received documents',
      summary: 'List received documents, newest first (supplier, period, status, type, amount)',
      query: ListQuery,
      responses: {
        200: {
          description: 'A page',
          schema: z.object({ items: z.array(ReceivedSummary), nextCursor: z.string().nullable() }),
        },
      },
      async handle({ res, query, params }) {
        const bounds = query.period ? panamaMonth(query.period) : undefined;
        const after = query.cursor ? decodeCursor(query.cursor) : undefined;
        const rows = await deps.received.list(params.companyId!, {
          status: query.status,
          supplierRuc: query.supplier,
          docType: query.type,
          from: bounds?.from,
          to: bounds?.to,
          minTotal: query.minTotal,
          maxTotal: query.maxTotal,
          limit: query.limit,
          after,
        });
        res.json({ items: rows.map(summary), nextCursor: nextCursor(rows, query.limit) });
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/received/pull',
      access: 'operator',
      tag: 'Received documents',
      summary: "Read the PAC's reception service now (eDoc service 2): its documents for the company come in",
      responses: {
        200: {
          description: "What the read found; `offered: false` when the company's PAC has no such service",
          schema: z.looseObject({ offered: z.boolean() }),
        },
      },
      async handle({ res, params }) {
        res.json(await deps.received.pullFromPac(params.companyId!));
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/received/:receivedId',
      access: 'integrator',
      tag: 'Received documents',
      summary:
        'One received document: its verification report, the DGI answer, its manifestation (by id or CUFE)',
      responses: { 200: { description: 'The record and the live state', schema: ReceivedSummary } },
      async handle({ res, params }) {
        const row = await deps.received.find(params.companyId!, params.receivedId!);
        if (!row) throw notFound(params.receivedId!);
        res.json({ ...summary(row), live: await deps.received.liveState(row) });
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/received/:receivedId/xml',
      access: 'integrator',
      tag: 'Received documents',
      summary: "The supplier's XML, as received",
      responses: { 200: { description: 'The XML', contentType: 'application/xml' } },
      async handle({ res, params }) {
        const row = await deps.received.find(params.companyId!, params.receivedId!);
        const xml = row && (await deps.received.xml(params.companyId!, row.id));
        if (!xml) throw notFound(params.receivedId!);
        res.type('application/xml').send(xml);
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/companies/:companyId/received/:receivedId/cafe',
      access: 'integrator',
      tag: 'Received documents',
      summary: 'A CAFE rendering of the received document (PDF)',
      query: CafeQuery,
      responses: { 200: { description: 'The PDF', contentType: 'application/pdf' } },
      async handle({ res, params, query }) {
        const cafe = await deps.received.cafe(params.companyId!, params.receivedId!, query.format);
        if (cafe.outcome === 'not-found') throw notFound(params.receivedId!);
        if (cafe.outcome === 'unreadable')
          throw new HttpProblem({
            type: 'unreadable',
            title: 'The document cannot be rendered',
            status: 409,
            detail: cafe.reason,
          });
        res.type('application/pdf').attachment(cafe.fileName).send(cafe.pdf);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/companies/:companyId/received/:receivedId/manifest',
      access: 'operator',
      tag: 'Received documents',
      summary:
        "The receiver's manifestation (rEvManifRecep), signed with the company's certificate and sent through its PAC",
      body: ManifestBody,
      responses: {
        200: {
          description: 'The PAC answered; the manifestation and where it stands',
          schema: z.looseObject({ status: z.string() }),
        },
        409: {
          description:
            'Refused (not accepted yet, already registered, being sent, the workflow has finished)',
        },
      },
      async handle({ res, body, params, caller }) {
        const done = await deps.received.manifest(params.companyId!, params.receivedId!, {
          code: body.code,
          ...(body.reason ? { reason: body.reason } : {}),
          actor: actorOf(body.actor, caller),
        });
        if (done.outcome === 'not-found') throw notFound(params.receivedId!);
        if (done.outcome === 'refused')
          throw new HttpProblem({
            type: 'action-refused',
            title: 'Manifestation refused',
            status: 409,
            detail: done.reason,
          });
        res.json(done.state);
      },
    }),
  ];
}
