import type { Sql } from './database.js';

export interface NewDocument {
  companyId: string;
  environment: '1' | '2';
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  workflowId: string;
  requestHash: string;
  request: unknown;
  status: string;
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
    insert into documents (company_id, environment, doc_type, branch, point_of_sale, number, workflow_id, request_hash, request, status)
    values (${doc.companyId}, ${Number(doc.environment)}, ${doc.docType}, ${doc.branch}, ${doc.pointOfSale}, ${doc.number},
            ${doc.workflowId}, ${doc.requestHash}, ${sql.json(doc.request as never)}, ${doc.status})
    returning id`;
  return row!;
}

export async function loadDocumentRequest(
  sql: Sql,
  documentId: string,
): Promise<{ request: unknown; prepared?: PreparedDocument }> {
  const [row] = await sql<
    Array<{
      request: unknown;
      cufe: string | null;
      digest_value: string | null;
      unsigned_xml: string | null;
      total: string | null;
    }>
  >`
    select request, cufe, digest_value, unsigned_xml, total::text as total from documents where id = ${documentId}`;
  if (!row) throw new Error(`document ${documentId} does not exist`);
  const prepared =
    row.cufe && row.digest_value && row.unsigned_xml && row.total
      ? { cufe: row.cufe, digestValue: row.digest_value, unsignedXml: row.unsigned_xml, total: row.total }
      : undefined;
  return { request: row.request, ...(prepared ? { prepared } : {}) };
}

/** Stores the built XML once: a retried activity finds it and keeps the first CUFE and dSeg. */
export async function savePreparedDocument(
  sql: Sql,
  documentId: string,
  prepared: PreparedDocument,
): Promise<PreparedDocument> {
  const [row] = await sql<Array<{ cufe: string; digest_value: string; unsigned_xml: string; total: string }>>`
    update documents set cufe = coalesce(cufe, ${prepared.cufe}),
      digest_value = coalesce(digest_value, ${prepared.digestValue}),
      unsigned_xml = coalesce(unsigned_xml, ${prepared.unsignedXml}),
      total = coalesce(total, ${prepared.total}), updated_at = now()
    where id = ${documentId}
    returning cufe, digest_value, unsigned_xml, total::text as total`;
  if (!row) throw new Error(`document ${documentId} does not exist`);
  return { cufe: row.cufe, digestValue: row.digest_value, unsignedXml: row.unsigned_xml, total: row.total };
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
