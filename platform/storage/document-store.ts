import type { TaxLine } from '../../domain/books/tax-lines.js';
import type { DocumentKey } from '../../common/document-workflow-types.js';
import type { ErpReference } from '../../common/erp-reference.js';
import { DocumentStoreError } from '../../common/fepa-error.js';
import { isUuid } from './ids.js';
import type { Sql } from './database.js';

export interface NewDocument {
  companyId: string;
  /** The integrator's own references (outside the signed XML); `uniqueCode` unique per company. */
  erp?: ErpReference | undefined;
  /** The item-amount convention the document was accepted with (rounding.ts); null: the default. */
  lineDecimals?: 2 | 6 | undefined;
  environment: '1' | '2';
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  workflowId: string;
  requestHash: string;
  request: unknown;
  status: string;
  /** The request's Idempotency-Key: a retry after a crash finds this row (and its number) again. */
  idempotencyKey?: string | undefined;
}

export interface PreparedDocument {
  cufe: string;
  digestValue: string;
  unsignedXml: string;
  total: string;
}

/** Inserts the document row; the business key's unique constraint refuses a second one. */
export async function insertDocument(sql: Sql, doc: NewDocument): Promise<{ id: string }> {
  const [row] = await sql<{ id: string }[]>`
    insert into documents (company_id, environment, doc_type, branch, point_of_sale, number, workflow_id, request_hash, request, status, idempotency_key, erp, erp_code, line_decimals)
    values (${doc.companyId}, ${Number(doc.environment)}, ${doc.docType}, ${doc.branch}, ${doc.pointOfSale}, ${doc.number},
            ${doc.workflowId}, ${doc.requestHash}, ${sql.json(doc.request as never)}, ${doc.status}, ${doc.idempotencyKey ?? null},
            ${doc.erp ? sql.json(doc.erp as never) : null}, ${doc.erp?.uniqueCode ?? null}, ${doc.lineDecimals ?? null})
    returning id`;
  return row!;
}

export async function loadDocumentRequest(
  sql: Sql,
  documentId: string,
): Promise<{
  request: unknown;
  prepared?: PreparedDocument;
  companyId: string;
  environment: '1' | '2';
  contingencyId?: string;
  lineDecimals?: 2 | 6;
}> {
  const [row] = await sql<
    Array<{
      line_decimals: 2 | 6 | null;
      request: unknown;
      cufe: string | null;
      digest_value: string | null;
      unsigned_xml: string | null;
      total: string | null;
      company_id: string;
      environment: number;
      contingency_id: string | null;
    }>
  >`
    select request, cufe, digest_value, unsigned_xml, total::text as total, company_id, environment, contingency_id,
      line_decimals
    from documents where id = ${documentId}`;
  if (!row) throw DocumentStoreError.notFound(documentId);
  const prepared =
    row.cufe && row.digest_value && row.unsigned_xml && row.total
      ? { cufe: row.cufe, digestValue: row.digest_value, unsignedXml: row.unsigned_xml, total: row.total }
      : undefined;
  return {
    request: row.request,
    ...(prepared ? { prepared } : {}),
    companyId: row.company_id,
    environment: String(row.environment) as '1' | '2',
    ...(row.contingency_id ? { contingencyId: row.contingency_id } : {}),
    ...(row.line_decimals ? { lineDecimals: row.line_decimals } : {}),
  };
}

/** Stores the built XML once: a retried activity finds it and keeps the first CUFE and dSeg. */
export async function savePreparedDocument(
  sql: Sql,
  documentId: string,
  prepared: PreparedDocument,
  /** Issued in contingency: the request with its contingency fields, and the contingency. */
  contingency?: { request: unknown; contingencyId: string },
  /** For the books: dFechaEm and the ITBMS by rate (domain/books/tax-lines.ts). */
  books?: { issuedAt: string; taxLines: readonly TaxLine[] },
): Promise<PreparedDocument & { contingencyId?: string }> {
  // Only the first build writes (cufe is null until then): every column is decided by the same test.
  const [row] = await sql<
    Array<{
      cufe: string;
      digest_value: string;
      unsigned_xml: string;
      total: string;
      contingency_id: string | null;
    }>
  >`
    update documents set cufe = coalesce(cufe, ${prepared.cufe}),
      digest_value = coalesce(digest_value, ${prepared.digestValue}),
      unsigned_xml = coalesce(unsigned_xml, ${prepared.unsignedXml}),
      total = coalesce(total, ${prepared.total}),
      issued_at = case when cufe is null then ${books?.issuedAt ?? null}::timestamptz else issued_at end,
      tax_lines = case when cufe is null then ${books ? sql.json(books.taxLines as never) : null}::jsonb else tax_lines end,
      request = case when cufe is null and ${contingency !== undefined} then ${sql.json((contingency?.request ?? null) as never)} else request end,
      contingency_id = case when cufe is null and ${contingency !== undefined} then ${contingency?.contingencyId ?? null}::uuid else contingency_id end,
      updated_at = now()
    where id = ${documentId}
    returning cufe, digest_value, unsigned_xml, total::text as total, contingency_id`;
  if (!row) throw DocumentStoreError.notFound(documentId);
  return {
    cufe: row.cufe,
    digestValue: row.digest_value,
    unsignedXml: row.unsigned_xml,
    total: row.total,
    ...(row.contingency_id ? { contingencyId: row.contingency_id } : {}),
  };
}

export async function saveSignedDocument(
  sql: Sql,
  documentId: string,
  signed: { signedXml: string; qrUrl: string; certificateId: string },
): Promise<void> {
  await sql`update documents set signed_xml = ${signed.signedXml}, qr_url = ${signed.qrUrl},
            certificate_id = ${signed.certificateId}, updated_at = now() where id = ${documentId}`;
}

export async function updateDocumentStatus(sql: Sql, documentId: string, status: string): Promise<void> {
  await sql`update documents set status = ${status}, updated_at = now() where id = ${documentId}`;
}

export async function loadSignedXml(sql: Sql, documentId: string): Promise<string | undefined> {
  const [row] = await sql<
    Array<{ signed_xml: string | null }>
  >`select signed_xml from documents where id = ${documentId}`;
  return row?.signed_xml ?? undefined;
}

export interface SubmissionMaterial {
  companyId: string;
  ruc: string;
  environment: '1' | '2';
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  emissionType: string;
  cufe: string | null;
  signedXml: string | null;
  /** Signed with the company's certificate by fepa (not the PAC's XML). */
  signedByFepa: boolean;
  request: Record<string, unknown>;
}

export async function loadSubmissionMaterial(sql: Sql, documentId: string): Promise<SubmissionMaterial> {
  const [row] = await sql<
    Array<{
      company_id: string;
      ruc: string;
      environment: number;
      doc_type: string;
      branch: string;
      point_of_sale: string;
      number: string;
      cufe: string | null;
      signed_xml: string | null;
      signed_by_fepa: boolean;
      request: Record<string, unknown>;
    }>
  >`
    select d.company_id, c.ruc, d.environment, d.doc_type, d.branch, d.point_of_sale, d.number, d.cufe, d.signed_xml,
           d.certificate_id is not null as signed_by_fepa, d.request
    from documents d join companies c on c.id = d.company_id where d.id = ${documentId}`;
  if (!row) throw DocumentStoreError.notFound(documentId);
  const gDGen = (row.request.gDGen ?? {}) as Record<string, unknown>;
  return {
    companyId: row.company_id,
    ruc: row.ruc,
    environment: String(row.environment) as '1' | '2',
    docType: row.doc_type,
    branch: row.branch,
    pointOfSale: row.point_of_sale,
    number: row.number,
    emissionType: (typeof gDGen.iTpEmis === 'string' || typeof gDGen.iTpEmis === 'number'
      ? String(gDGen.iTpEmis)
      : '01'
    ).padStart(2, '0'),
    cufe: row.cufe,
    signedXml: row.signed_xml,
    signedByFepa: row.signed_by_fepa,
    request: row.request,
  };
}

export async function recordPacExchange(
  sql: Sql,
  documentId: string,
  exchange: {
    operation: string;
    status: string;
    pacCode?: string | undefined;
    pacMessage?: string | undefined;
    dgiIssues: unknown[];
    raw: unknown;
  },
): Promise<void> {
  await sql`insert into document_pac_exchanges (document_id, operation, status, pac_code, pac_message, dgi_issues, raw)
    values (${documentId}, ${exchange.operation}, ${exchange.status}, ${exchange.pacCode ?? null}, ${exchange.pacMessage ?? null},
            ${sql.json(exchange.dgiIssues as never)}, ${sql.json(exchange.raw as never)})`;
}

export async function savePacFacts(
  sql: Sql,
  documentId: string,
  facts: {
    cufe?: string | undefined;
    protocol?: string | undefined;
    authorizedAt?: string | undefined;
    pacCode?: string | undefined;
    pac: string;
    signedXml?: string | undefined;
  },
): Promise<void> {
  await sql`update documents set
      cufe = coalesce(${facts.cufe ?? null}, cufe), protocol = coalesce(${facts.protocol ?? null}, protocol),
      authorized_at = coalesce(${facts.authorizedAt ?? null}, authorized_at), last_pac_code = coalesce(${facts.pacCode ?? null}, last_pac_code),
      pac = ${facts.pac}, signed_xml = coalesce(${facts.signedXml ?? null}, signed_xml), updated_at = now()
    where id = ${documentId}`;
}

/** One state change: the row's status and an append-only event; a retried call records nothing twice. */
export async function recordTransition(
  sql: Sql,
  t: {
    documentId: string;
    seq: number;
    from: string | null;
    to: string;
    actor: string;
    kind: string;
    detail: Record<string, unknown>;
  },
): Promise<void> {
  await sql.begin(async (tx) => {
    const inserted =
      await tx`insert into document_events (document_id, seq, kind, from_status, to_status, actor, detail)
      values (${t.documentId}, ${t.seq}, ${t.kind}, ${t.from}, ${t.to}, ${t.actor}, ${tx.json(t.detail as never)})
      on conflict (document_id, seq) do nothing returning id`;
    if (inserted.length)
      await tx`update documents set status = ${t.to}, updated_at = now() where id = ${t.documentId}`;
  });
}

/** Applies an operator's correction: the new request replaces the old one, and the built XML is cleared. */
export async function applyCorrection(
  sql: Sql,
  documentId: string,
  correction: { request: unknown; actor: string; reason?: string | undefined },
): Promise<string> {
  return sql.begin(async (tx) => {
    const [row] = await tx<
      { id: string }[]
    >`insert into document_corrections (document_id, request, actor, reason)
      values (${documentId}, ${tx.json(correction.request as never)}, ${correction.actor}, ${correction.reason ?? null}) returning id`;
    await tx`update documents set request = ${tx.json(correction.request as never)}, cufe = null, digest_value = null,
      unsigned_xml = null, signed_xml = null, qr_url = null, total = null, updated_at = now() where id = ${documentId}`;
    return row!.id;
  });
}

/**
 * Allocates the next number of the series and inserts the document with it, in one transaction: if the
 * insert fails the number is not consumed, so the series has no gaps. The number is stored in the request,
 * so every later build and resubmission reuses it.
 */
export async function insertDocumentWithNextNumber(
  sql: Sql,
  doc: Omit<NewDocument, 'number' | 'workflowId'> & { workflowIdFor: (number: string) => string },
): Promise<{ id: string; number: string; workflowId: string }> {
  return sql.begin(async (tx) => {
    const [seq] = await tx<Array<{ last_number: string }>>`
      insert into document_number_sequences (company_id, environment, branch, point_of_sale, doc_type, last_number)
      values (${doc.companyId}, ${Number(doc.environment)}, ${doc.branch}, ${doc.pointOfSale}, ${doc.docType}, 1)
      on conflict (company_id, environment, branch, point_of_sale, doc_type)
      do update set last_number = document_number_sequences.last_number + 1
      returning last_number::text`;
    const number = seq!.last_number.padStart(10, '0');
    const request = structuredClone(doc.request) as { gDGen: Record<string, unknown> };
    request.gDGen.dNroDF = number;
    const workflowId = doc.workflowIdFor(number);
    const [row] = await tx<{ id: string }[]>`
      insert into documents (company_id, environment, doc_type, branch, point_of_sale, number, workflow_id, request_hash, request, status, idempotency_key, erp, erp_code, line_decimals)
      values (${doc.companyId}, ${Number(doc.environment)}, ${doc.docType}, ${doc.branch}, ${doc.pointOfSale}, ${number},
              ${workflowId}, ${doc.requestHash}, ${tx.json(request as never)}, ${doc.status}, ${doc.idempotencyKey ?? null},
              ${doc.erp ? tx.json(doc.erp as never) : null}, ${doc.erp?.uniqueCode ?? null}, ${doc.lineDecimals ?? null})
      returning id`;
    return { id: row!.id, number, workflowId };
  });
}

/** What starting a document's workflow needs, read back from its committed row. */
export interface StartableDocument {
  id: string;
  companyId: string;
  workflowId: string;
  requestHash: string;
  key: Omit<DocumentKey, 'companyId'>;
  /** The ERP's unique code, when the integrator gave one. */
  erpCode?: string;
}

const STARTABLE = `select id, company_id, erp_code, workflow_id, request_hash, environment::text as environment, doc_type, branch,
  point_of_sale, number from documents`;

type StartableRow = {
  id: string;
  company_id: string;
  workflow_id: string;
  request_hash: string;
  environment: '1' | '2';
  doc_type: string;
  branch: string;
  point_of_sale: string;
  number: string;
  erp_code: string | null;
};

const startable = (r: StartableRow): StartableDocument => ({
  ...(r.erp_code ? { erpCode: r.erp_code } : {}),
  id: r.id,
  companyId: r.company_id,
  workflowId: r.workflow_id,
  requestHash: r.request_hash,
  key: {
    environment: r.environment,
    docType: r.doc_type,
    branch: r.branch,
    pointOfSale: r.point_of_sale,
    number: r.number,
  },
});

async function findStartable(
  sql: Sql,
  where: string,
  params: unknown[],
): Promise<StartableDocument | undefined> {
  const [row] = await sql.unsafe<StartableRow[]>(`${STARTABLE} where ${where}`, params as never[]);
  return row ? startable(row) : undefined;
}

export const findDocumentByIdempotencyKey = (sql: Sql, companyId: string, idempotencyKey: string) =>
  findStartable(sql, 'company_id = $1 and idempotency_key = $2', [companyId, idempotencyKey]);

export const findDocumentByWorkflowId = (sql: Sql, workflowId: string) =>
  findStartable(sql, 'workflow_id = $1', [workflowId]);

/** The company's document with this ERP unique code, if any. */
export const findDocumentByErpCode = (sql: Sql, companyId: string, erpCode: string) =>
  findStartable(sql, 'company_id = $1 and erp_code = $2', [companyId, erpCode]);

/** Whether a unique violation is the ERP code's (another document of the company has it). */
export const isErpCodeConflict = (err: unknown): boolean =>
  (err as { code?: string; constraint_name?: string }).code === '23505' &&
  (err as { constraint_name?: string }).constraint_name === 'documents_company_erp_code';

/** The ERP references of a document (webhooks carry them). */
export async function loadErpReference(sql: Sql, documentId: string): Promise<ErpReference | undefined> {
  const [row] = await sql<
    Array<{ erp: ErpReference | null }>
  >`select erp from documents where id = ${documentId}`;
  return row?.erp ?? undefined;
}

/** A company's document with its business key (what a correction must keep). */
export const findCompanyDocumentKey = async (sql: Sql, companyId: string, documentId: string) =>
  isUuid(documentId) ? findStartable(sql, 'id = $1 and company_id = $2', [documentId, companyId]) : undefined;

/** Rows committed more than `graceMs` ago whose workflow never started (a crash between the two). */
export async function listDocumentsWithoutWorkflow(
  sql: Sql,
  graceMs: number,
  companyId?: string,
): Promise<StartableDocument[]> {
  const rows = await sql.unsafe<StartableRow[]>(
    `${STARTABLE} where workflow_started_at is null and created_at < now() - make_interval(secs => $1)
       and ($2::uuid is null or company_id = $2::uuid) order by created_at limit 500`,
    [graceMs / 1000, companyId ?? null],
  );
  return rows.map(startable);
}

export async function markWorkflowStarted(sql: Sql, documentId: string): Promise<void> {
  await sql`update documents set workflow_started_at = coalesce(workflow_started_at, now()) where id = ${documentId}`;
}
