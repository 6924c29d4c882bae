import { createHash } from 'node:crypto';
import { loadDocumentRequest } from '../../platform/storage/document-store.js';
import { splitLineDecimals } from './line-decimals.js';
import { splitErpReference } from './erp-reference.js';
import { stampEmissionDate } from '../../domain/dgi-document/emission-date.js';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { applyUpdate, type ActionOutcome } from './document-actions.js';
import { correctUpdate, getDocumentState } from '../../common/document-messages.js';
import { WorkflowIdConflictPolicy, WorkflowIdReusePolicy } from '@temporalio/common';
import {
  documentWorkflowId,
  type DocumentKey,
  type DocumentWorkflowInput,
} from '../../common/document-workflow-types.js';
import {
  CompanyId,
  DocNumber,
  DocStatus,
  DocType,
  EmitterRuc,
  NeedsPerson,
  ErpCode,
  Pac,
} from '../../common/search-attributes.js';
import type { DocumentTimings } from '../../common/document-messages.js';
import { pacTaskQueue } from '../../common/pac-outcome.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { findPacSettings } from '../../platform/storage/pac-settings-store.js';
import { validateDocument, type DgiDocument, type DocumentIssue } from '../../domain/dgi-document/index.js';
import { documentIssuesForPac } from '../../pac/pac-registry.js';
import { issueAt } from '../../domain/dgi-document/issues.js';
import { companyLineDecimals, findCompany, type Company } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  applyCorrection,
  findCompanyDocumentKey,
  findDocumentByIdempotencyKey,
  findDocumentByWorkflowId,
  findDocumentByErpCode,
  isErpCodeConflict,
  insertDocument,
  insertDocumentWithNextNumber,
  listDocumentsWithoutWorkflow,
  markWorkflowStarted,
} from '../../platform/storage/document-store.js';
import type { documentWorkflow } from '../../workflows/document-workflow.js';

export type CreateDocumentResult =
  | { outcome: 'created' | 'existing'; documentId: string; workflowId: string }
  | { outcome: 'invalid'; issues: DocumentIssue[] }
  | { outcome: 'conflict'; workflowId: string }
  /** Another document of the company has this ERP unique code. */
  | { outcome: 'erp-conflict'; erpCode: string; documentId: string }
  | { outcome: 'company-not-found' };

/** Stable JSON (sorted keys) so the same document always hashes the same, whatever the key order. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => (value as Record<string, unknown>)[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

const gDGenOf = (request: unknown) =>
  request && typeof request === 'object'
    ? ((request as { gDGen?: unknown }).gDGen as Record<string, unknown> | undefined)
    : undefined;

function hasNumber(request: unknown): boolean {
  const gDGen = gDGenOf(request);
  return !gDGen || typeof gDGen !== 'object' || gDGen.dNroDF !== undefined;
}

function withPlaceholderNumber(request: unknown): unknown {
  const copy = structuredClone(request) as { gDGen: Record<string, unknown> };
  copy.gDGen.dNroDF = '0000000001';
  return copy;
}

export const requestHash = (request: unknown) =>
  createHash('sha256').update(canonicalJson(request)).digest('hex');

/** Creates fiscal documents: validated, recorded under their business key, then one workflow each. */
export class DocumentService {
  constructor(
    private readonly deps: {
      sql: Sql;
      client: Client;
      taskQueue?: string;
      /** Prefix of the per-PAC activity task queues (tests use their own). */
      pacTaskQueuePrefix?: string;
      timings?: Partial<DocumentTimings>;
    },
  ) {}

  /** The waits new documents get (and the deliveries started for them). */
  get timings(): Partial<DocumentTimings> | undefined {
    return this.deps.timings;
  }

  get taskQueue(): string | undefined {
    return this.deps.taskQueue;
  }

  /** The task queue of a PAC's activities (tests use their own prefix). */
  pacTaskQueueOf(pac: string): string {
    return `${this.deps.pacTaskQueuePrefix ?? ''}${pacTaskQueue(pac)}`;
  }

  /** What the company's PAC cannot take of a valid document, refused before a number is spent. */
  private async pacIssues(companyId: string, doc: DgiDocument): Promise<DocumentIssue[]> {
    return documentIssuesForPac((await findPacSettings(this.deps.sql, companyId)).pac, doc);
  }

  /**
   * `idempotencyKey` (the request's Idempotency-Key) makes creation atomic from the client's view: a
   * retry after a crash between the row's commit and the workflow's start finds the row, and its
   * number, again; the workflow is started from the row (here, or by the orphan sweeper).
   */
  async create(
    companyId: string,
    request: unknown,
    options: { idempotencyKey?: string | undefined } = {},
  ): Promise<CreateDocumentResult> {
    const company = await findCompany(this.deps.sql, companyId);
    if (!company) return { outcome: 'company-not-found' };
    const hash = requestHash(request);
    const retried = options.idempotencyKey
      ? await this.resumeByIdempotencyKey(company, options.idempotencyKey, hash)
      : undefined;
    if (retried) return retried;
    // The ERP's references and the rounding convention travel beside the document, never inside the signed XML.
    const rounding = splitLineDecimals(request);
    const split = splitErpReference(rounding.document);
    const erp = split.erp;
    const lineDecimals =
      rounding.lineDecimals ?? (await companyLineDecimals(this.deps.sql, companyId)) ?? undefined;
    // A repeat of a document the ERP already sent under its unique code is that document (or a conflict).
    if (erp?.uniqueCode) {
      const known = await this.byErpCode(company, erp.uniqueCode, hash);
      if (known) return known;
    }
    // Without dFechaEm, fepa stamps the time it accepted the request (after hashing: a repeat is still a repeat).
    request = stampEmissionDate(split.document, new Date());
    // Without dNroDF, fepa allocates the number (validated meanwhile with a placeholder).
    const allocate = !hasNumber(request);
    const validation = validateDocument(allocate ? withPlaceholderNumber(request) : request, {
      lineDecimals,
    });
    const sideIssues = [...rounding.issues, ...split.issues];
    if (!validation.ok || sideIssues.length)
      return { outcome: 'invalid', issues: [...sideIssues, ...(validation.ok ? [] : validation.issues)] };
    const doc = validation.document;
    const emitter = doc.gDGen.gEmis.gRucEmi;
    if (emitter.dRuc !== company.ruc || emitter.dDV !== company.dv) {
      return {
        outcome: 'invalid',
        issues: [
          issueAt(
            ['gDGen', 'gEmis', 'gRucEmi', 'dRuc'],
            'emitter-company',
            `must be the company's RUC ${company.ruc}-${company.dv}`,
            emitter.dRuc,
          ),
        ],
      };
    }
    const pacIssues = await this.pacIssues(companyId, doc);
    if (pacIssues.length) return { outcome: 'invalid', issues: pacIssues };
    const key = {
      companyId,
      environment: doc.gDGen.iAmb as '1' | '2',
      docType: doc.gDGen.iDoc,
      branch: doc.gDGen.gEmis.dSucEm,
      pointOfSale: doc.gDGen.dPtoFacDF,
      number: doc.gDGen.dNroDF,
    };
    const workflowId = documentWorkflowId(key);

    if (allocate) {
      let inserted;
      try {
        inserted = await insertDocumentWithNextNumber(this.deps.sql, {
          ...key,
          workflowIdFor: (number) => documentWorkflowId({ ...key, number }),
          requestHash: hash,
          request,
          status: 'received',
          idempotencyKey: options.idempotencyKey,
          erp,
          lineDecimals,
        });
      } catch (err) {
        if (erp?.uniqueCode && isErpCodeConflict(err))
          return (await this.byErpCode(company, erp.uniqueCode, hash))!;
        // The same Idempotency-Key committed concurrently: that row is the document.
        if ((err as { code?: string }).code === '23505' && options.idempotencyKey)
          return (await this.resumeByIdempotencyKey(company, options.idempotencyKey, hash))!;
        throw err;
      }
      await this.startWorkflow(
        inserted.id,
        company,
        { ...key, number: inserted.number },
        inserted.workflowId,
        erp?.uniqueCode,
      );
      return { outcome: 'created', documentId: inserted.id, workflowId: inserted.workflowId };
    }

    // The row is the lasting guard against issuing twice (workflow-id deduplication ends with retention).
    let documentId: string;
    try {
      documentId = (
        await insertDocument(this.deps.sql, {
          ...key,
          workflowId,
          requestHash: hash,
          request,
          status: 'received',
          idempotencyKey: options.idempotencyKey,
          erp,
          lineDecimals,
        })
      ).id;
    } catch (err) {
      if (erp?.uniqueCode && isErpCodeConflict(err))
        return (await this.byErpCode(company, erp.uniqueCode, hash))!;
      if ((err as { code?: string }).code !== '23505') throw err;
      const existing = await findDocumentByWorkflowId(this.deps.sql, workflowId);
      if (!existing || existing.requestHash !== hash) return { outcome: 'conflict', workflowId };
      await this.startWorkflow(existing.id, company, key, workflowId, existing.erpCode); // a crash may have happened between insert and start
      return { outcome: 'existing', documentId: existing.id, workflowId };
    }
    await this.startWorkflow(documentId, company, key, workflowId, erp?.uniqueCode);
    return { outcome: 'created', documentId, workflowId };
  }

  /** The document the ERP already sent under this unique code: the same request is that document, another a conflict. */
  private async byErpCode(
    company: Company,
    erpCode: string,
    hash: string,
  ): Promise<CreateDocumentResult | undefined> {
    const row = await findDocumentByErpCode(this.deps.sql, company.id, erpCode);
    if (!row) return undefined;
    if (row.requestHash !== hash) return { outcome: 'erp-conflict', erpCode, documentId: row.id };
    await this.startWorkflow(row.id, company, { companyId: company.id, ...row.key }, row.workflowId, erpCode);
    return { outcome: 'existing', documentId: row.id, workflowId: row.workflowId };
  }

  /** A document already committed under this Idempotency-Key: started if it was not, then returned. */
  private async resumeByIdempotencyKey(
    company: Company,
    idempotencyKey: string,
    hash: string,
  ): Promise<CreateDocumentResult | undefined> {
    const row = await findDocumentByIdempotencyKey(this.deps.sql, company.id, idempotencyKey);
    if (!row) return undefined;
    if (row.requestHash !== hash) return { outcome: 'conflict', workflowId: row.workflowId };
    await this.startWorkflow(
      row.id,
      company,
      { companyId: company.id, ...row.key },
      row.workflowId,
      row.erpCode,
    );
    return { outcome: 'existing', documentId: row.id, workflowId: row.workflowId };
  }

  /**
   * Starts the workflow of every row a crash left without one (committed more than `graceMs` ago):
   * the number is consumed, so the document must go on. Run at start-up and periodically.
   */
  async startOrphans(graceMs: number, companyId?: string): Promise<number> {
    const orphans = await listDocumentsWithoutWorkflow(this.deps.sql, graceMs, companyId);
    for (const row of orphans) {
      const company = await findCompany(this.deps.sql, row.companyId);
      if (company)
        await this.startWorkflow(
          row.id,
          company,
          { companyId: company.id, ...row.key },
          row.workflowId,
          row.erpCode,
        );
    }
    return orphans.length;
  }

  /**
   * An operator's correction of a rejected document: the same number, type, branch, point and
   * environment; validated before the workflow is asked; stored, then applied through the `correct` update.
   */
  async correct(
    companyId: string,
    documentId: string,
    request: unknown,
    by: { actor: string; reason?: string },
  ): Promise<ActionOutcome | { outcome: 'invalid'; issues: DocumentIssue[] }> {
    const row = await findCompanyDocumentKey(this.deps.sql, companyId, documentId);
    if (!row) return { outcome: 'not-found' };
    request = stampEmissionDate(request, new Date());
    // Corrected under the convention the document was accepted with: the build step uses the same.
    const { lineDecimals } = await loadDocumentRequest(this.deps.sql, documentId);
    const validation = validateDocument(request, { lineDecimals });
    if (!validation.ok) return { outcome: 'invalid', issues: validation.issues };
    const pacIssues = await this.pacIssues(companyId, validation.document);
    if (pacIssues.length) return { outcome: 'invalid', issues: pacIssues };
    const g = validation.document.gDGen;
    const same: Array<[string, string, string, (string | number)[]]> = [
      ['iAmb', row.key.environment, g.iAmb, ['gDGen', 'iAmb']],
      ['iDoc', row.key.docType, g.iDoc, ['gDGen', 'iDoc']],
      ['dSucEm', row.key.branch, g.gEmis.dSucEm, ['gDGen', 'gEmis', 'dSucEm']],
      ['dPtoFacDF', row.key.pointOfSale, g.dPtoFacDF, ['gDGen', 'dPtoFacDF']],
      ['dNroDF', row.key.number, g.dNroDF, ['gDGen', 'dNroDF']],
    ];
    const changed = same.filter(([, was, now]) => was !== now);
    if (changed.length) {
      return {
        outcome: 'invalid',
        issues: changed.map(([name, was, now, path]) =>
          issueAt(path, 'same-document', `a correction keeps ${name} ${was}`, now),
        ),
      };
    }
    const handle = this.deps.client.workflow.getHandle(row.workflowId);
    const current = await handle.query(getDocumentState);
    if (current.status !== 'rejected')
      return { outcome: 'refused', reason: `cannot correct a document in status ${current.status}` };
    const correctionId = await applyCorrection(this.deps.sql, documentId, {
      request,
      actor: by.actor,
      reason: by.reason,
    });
    return applyUpdate(
      this.deps.client,
      handle,
      correctUpdate,
      { ...by, correctionId },
      { updateId: correctionId },
    );
  }

  private async startWorkflow(
    documentId: string,
    company: Company,
    key: DocumentKey,
    workflowId: string,
    erpCode?: string,
  ): Promise<void> {
    const pac = (await findPacSettings(this.deps.sql, company.id)).pac;
    const input: DocumentWorkflowInput = {
      ...key,
      documentId,
      emitterRuc: company.ruc,
      pac,
      pacTaskQueue: this.pacTaskQueueOf(pac),
      ...(this.deps.timings ? { timings: this.deps.timings } : {}),
    };
    try {
      await this.deps.client.workflow.start<typeof documentWorkflow>('documentWorkflow', {
        workflowId,
        taskQueue: this.deps.taskQueue ?? TASK_QUEUES.documents,
        args: [input],
        workflowIdConflictPolicy: WorkflowIdConflictPolicy.FAIL,
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
        typedSearchAttributes: [
          { key: CompanyId, value: company.id },
          { key: EmitterRuc, value: company.ruc },
          { key: DocType, value: key.docType },
          { key: DocNumber, value: key.number },
          { key: Pac, value: pac },
          { key: DocStatus, value: 'received' },
          { key: NeedsPerson, value: false },
          ...(erpCode ? [{ key: ErpCode, value: erpCode }] : []),
        ],
        staticSummary: `iDoc ${key.docType} · ${key.branch}-${key.pointOfSale}-${key.number} · RUC ${company.ruc}${erpCode ? ` · ERP ${erpCode}` : ''}`,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
    await markWorkflowStarted(this.deps.sql, documentId);
  }
}
