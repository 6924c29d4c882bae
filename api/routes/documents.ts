import { Router, type Request } from 'express';
import { WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { z } from 'zod';
import {
  annulUpdate,
  cancelUpdate,
  getDocumentState,
  resubmitUpdate,
  submitUpdate,
} from '../../common/document-messages.js';
import type { DocumentService } from '../../services/document-service.js';
import type { Sql } from '../../storage/database.js';
import {
  companyDocumentsNeedingRetry,
  findCompanyDocument,
  listCompanyDocuments,
} from '../../storage/document-queries.js';
import { loadSignedXml } from '../../storage/document-store.js';
import { HttpProblem } from '../problem.js';
import { parseBody } from '../validation.js';
import { companyNotFound } from './companies.js';

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
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().max(200).optional(),
});

const documentNotFound = (id: string) =>
  new HttpProblem({
    type: 'not-found',
    title: 'Document not found',
    status: 404,
    detail: `There is no document ${id} for this company.`,
  });

const links = (companyId: string, id: string) => {
  const self = `/v1/companies/${companyId}/documents/${id}`;
  return {
    self,
    xml: `${self}/xml`,
    correct: `${self}/correct`,
    resubmit: `${self}/resubmit`,
    submit: `${self}/submit`,
    annul: `${self}/annul`,
    cancel: `${self}/cancel`,
  };
};

/** Fiscal documents of a company: create, read (live state), list, XML, and operator actions. */
export function documentRoutes(deps: { client: Client; sql: Sql; documents: DocumentService }): Router {
  const router = Router();
  const ids = (req: Request) => ({
    companyId: String(req.params.companyId),
    documentId: String(req.params.documentId),
  });

  router.post('/v1/companies/:companyId/documents', async (req, res) => {
    const { companyId } = ids(req);
    const result = await deps.documents.create(companyId, req.body);
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
          .location(links(companyId, result.documentId).self)
          .json({
            id: result.documentId,
            workflowId: result.workflowId,
            status: result.outcome === 'created' ? 'received' : 'existing',
            links: links(companyId, result.documentId),
          });
    }
  });

  router.get('/v1/companies/:companyId/documents', async (req, res) => {
    const q = ListQuery.safeParse(req.query);
    if (!q.success)
      throw new HttpProblem({
        type: 'validation',
        title: 'Bad query',
        status: 400,
        issues: q.error.issues.map((i) => ({ path: i.path.join('.'), rule: i.code, message: i.message })),
      });
    const after = q.data.cursor
      ? (JSON.parse(Buffer.from(q.data.cursor, 'base64url').toString('utf8')) as {
          createdAt: string;
          id: string;
        })
      : undefined;
    const rows = await listCompanyDocuments(deps.sql, ids(req).companyId, {
      status: q.data.status,
      docType: q.data.type,
      number: q.data.number?.padStart(10, '0'),
      from: q.data.from ? new Date(q.data.from) : undefined,
      to: q.data.to ? new Date(q.data.to) : undefined,
      limit: q.data.limit,
      after,
    });
    const last = rows.at(-1);
    res.json({
      items: rows,
      nextCursor:
        rows.length === q.data.limit && last
          ? Buffer.from(JSON.stringify({ createdAt: last.createdAt, id: last.id })).toString('base64url')
          : null,
    });
  });

  router.get('/v1/companies/:companyId/documents/:documentId', async (req, res) => {
    const { companyId, documentId } = ids(req);
    const row = await findCompanyDocument(deps.sql, companyId, documentId);
    if (!row) throw documentNotFound(documentId);
    let state: unknown;
    try {
      state = await deps.client.workflow.getHandle(row.workflowId).query(getDocumentState);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err; // closed and purged: the row is the record
    }
    res.json({ ...row, state: state ?? null, links: links(companyId, documentId) });
  });

  router.get('/v1/companies/:companyId/documents/:documentId/xml', async (req, res) => {
    const { companyId, documentId } = ids(req);
    if (!(await findCompanyDocument(deps.sql, companyId, documentId))) throw documentNotFound(documentId);
    const xml = await loadSignedXml(deps.sql, documentId);
    if (!xml)
      throw new HttpProblem({
        type: 'not-signed',
        title: 'Not signed yet',
        status: 409,
        detail: 'The document has no signed XML yet.',
      });
    res.type('application/xml').send(xml);
  });

  router.post('/v1/companies/:companyId/documents/:documentId/correct', async (req, res) => {
    const { companyId, documentId } = ids(req);
    const body = parseBody(Correction, req.body);
    const result = await deps.documents.correct(companyId, documentId, body.document, {
      actor: body.actor,
      ...(body.reason ? { reason: body.reason } : {}),
    });
    switch (result.outcome) {
      case 'not-found':
        throw documentNotFound(documentId);
      case 'invalid':
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
      case 'refused':
        throw new HttpProblem({
          type: 'action-refused',
          title: 'Correction refused',
          status: 409,
          detail: result.reason,
        });
      case 'accepted':
        res.json({ id: documentId, status: result.state.status, state: result.state });
    }
  });

  const actions = {
    submit: [submitUpdate, Action],
    resubmit: [resubmitUpdate, Action],
    annul: [annulUpdate, AnnulAction],
    cancel: [cancelUpdate, Action],
  } as const;
  for (const [name, [update, schema]] of Object.entries(actions)) {
    router.post(`/v1/companies/:companyId/documents/:documentId/${name}`, async (req, res) => {
      const { companyId, documentId } = ids(req);
      const body = parseBody(schema, req.body);
      const row = await findCompanyDocument(deps.sql, companyId, documentId);
      if (!row) throw documentNotFound(documentId);
      try {
        const handle = deps.client.workflow.getHandle(row.workflowId);
        const state = await deps.client.connection.withDeadline(Date.now() + 15_000, () =>
          handle.executeUpdate(update, { args: [body as never] }),
        );
        res.json({ id: documentId, status: state.status, state });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError)
          throw new HttpProblem({
            type: 'action-refused',
            title: `${name} refused`,
            status: 409,
            detail: err.cause?.message ?? err.message,
          });
        if (err instanceof WorkflowNotFoundError)
          throw new HttpProblem({
            type: 'action-refused',
            title: `${name} refused`,
            status: 409,
            detail: 'the document is closed',
          });
        throw err;
      }
    });
  }

  router.post('/v1/companies/:companyId/documents/retry-all', async (req, res) => {
    const body = parseBody(Action, req.body);
    const results = [];
    for (const doc of await companyDocumentsNeedingRetry(deps.sql, ids(req).companyId)) {
      try {
        await deps.client.workflow.getHandle(doc.workflowId).executeUpdate(resubmitUpdate, { args: [body] });
        results.push({ id: doc.id, resubmitted: true });
      } catch (err) {
        results.push({
          id: doc.id,
          resubmitted: false,
          reason:
            err instanceof WorkflowUpdateFailedError ? (err.cause?.message ?? err.message) : 'unavailable',
        });
      }
    }
    res.json({ total: results.length, resubmitted: results.filter((r) => r.resubmitted).length, results });
  });
  return router;
}
