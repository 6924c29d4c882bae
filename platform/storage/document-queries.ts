import type { Sql } from './database.js';
import type { ErpReference } from '../../common/erp-reference.js';
import { isUuid } from './ids.js';

export interface DocumentRow {
  id: string;
  workflowId: string;
  status: string;
  environment: string;
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  cufe: string | null;
  total: string | null;
  protocol: string | null;
  authorizedAt: string | null;
  pac: string | null;
  lastPacCode: string | null;
  /** The signed XML is stored (its CAFE can be printed). */
  signed: boolean;
  createdAt: string;
  updatedAt: string;
  /** The integrator's own references, when it sent them. */
  erp: ErpReference | null;
}

// A CUFE is shown once it is issued: with the signed XML (fepa's signature, or the PAC's XML where the PAC signs
// and draws its own dSeg). Before that fepa's own computation is no one's CUFE (issue #27 §4).
const SELECT = `select id, workflow_id, status, environment, doc_type, branch, point_of_sale, number,
  case when signed_xml is not null then cufe end as cufe, total::text as total,
  protocol, authorized_at, pac, last_pac_code, signed_xml is not null as signed, created_at, updated_at, erp from documents`;

interface Raw {
  id: string;
  workflow_id: string;
  status: string;
  environment: number;
  doc_type: string;
  branch: string;
  point_of_sale: string;
  number: string;
  cufe: string | null;
  total: string | null;
  protocol: string | null;
  authorized_at: string | null;
  pac: string | null;
  last_pac_code: string | null;
  signed: boolean;
  created_at: Date;
  updated_at: Date;
  erp: ErpReference | null;
}

const toRow = (r: Raw): DocumentRow => ({
  id: r.id,
  workflowId: r.workflow_id,
  status: r.status,
  environment: String(r.environment),
  docType: r.doc_type,
  branch: r.branch,
  pointOfSale: r.point_of_sale,
  number: r.number,
  cufe: r.cufe,
  total: r.total,
  protocol: r.protocol,
  authorizedAt: r.authorized_at,
  pac: r.pac,
  lastPacCode: r.last_pac_code,
  signed: r.signed,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  erp: r.erp,
});

/** One document of one company: another company's id answers nothing. */
export async function findCompanyDocument(
  sql: Sql,
  companyId: string,
  documentId: string,
): Promise<DocumentRow | undefined> {
  if (!isUuid(documentId)) return undefined;
  const [row] = await sql<
    Raw[]
  >`${sql.unsafe(SELECT)} where company_id = ${companyId} and id = ${documentId}`;
  return row ? toRow(row) : undefined;
}

export interface DocumentFilter {
  status?: string | undefined;
  docType?: string | undefined;
  number?: string | undefined;
  cufe?: string | undefined;
  erpCode?: string | undefined;
  from?: Date | undefined;
  to?: Date | undefined;
  limit: number;
  /** Keyset paging: the last (created_at, id) of the previous page. */
  after?: { createdAt: string; id: string } | undefined;
}

export async function listCompanyDocuments(
  sql: Sql,
  companyId: string,
  f: DocumentFilter,
): Promise<DocumentRow[]> {
  const rows = await sql<Raw[]>`${sql.unsafe(SELECT)} where company_id = ${companyId}
    ${f.status ? sql`and status = ${f.status}` : sql``}
    ${f.docType ? sql`and doc_type = ${f.docType}` : sql``}
    ${f.number ? sql`and number = ${f.number}` : sql``}
    ${f.cufe ? sql`and cufe = ${f.cufe} and signed_xml is not null` : sql``}
    ${f.erpCode ? sql`and erp_code = ${f.erpCode}` : sql``}
    ${f.from ? sql`and created_at >= ${f.from}` : sql``}
    ${f.to ? sql`and created_at < ${f.to}` : sql``}
    ${f.after ? sql`and (created_at, id) < (${f.after.createdAt}, ${f.after.id})` : sql``}
    order by created_at desc, id desc limit ${f.limit}`;
  return rows.map(toRow);
}

export async function companyDocumentsNeedingRetry(
  sql: Sql,
  companyId: string,
): Promise<Array<{ id: string; workflowId: string }>> {
  const rows = await sql<Array<{ id: string; workflow_id: string }>>`select id, workflow_id from documents
    where company_id = ${companyId} and status = 'needs_support' order by created_at`;
  return rows.map((r) => ({ id: r.id, workflowId: r.workflow_id }));
}

/** What a CAFE is printed from: the stored signed XML and what the PAC answered. */
export interface CafeSource {
  signedXml: string | null;
  /** The built document before anyone signed it (a provisional copy is printed from it). */
  unsignedXml: string | null;
  protocol: string | null;
  /** As the PAC answered it (ISO 8601). */
  authorizedAt: string | null;
  pac: string | null;
  branch: string;
  pointOfSale: string;
  number: string;
}

export async function findCafeSource(
  sql: Sql,
  companyId: string,
  documentId: string,
): Promise<CafeSource | undefined> {
  if (!isUuid(documentId)) return undefined;
  const [row] = await sql<
    Array<{
      signed_xml: string | null;
      unsigned_xml: string | null;
      protocol: string | null;
      authorized_at: string | null;
      pac: string | null;
      branch: string;
      point_of_sale: string;
      number: string;
    }>
  >`select signed_xml, unsigned_xml, protocol, authorized_at, pac, branch, point_of_sale, number
    from documents where company_id = ${companyId} and id = ${documentId}`;
  return row
    ? {
        signedXml: row.signed_xml,
        unsignedXml: row.unsigned_xml,
        protocol: row.protocol,
        authorizedAt: row.authorized_at,
        pac: row.pac,
        branch: row.branch,
        pointOfSale: row.point_of_sale,
        number: row.number,
      }
    : undefined;
}
