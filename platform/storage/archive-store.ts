import { mappedBatches } from './cursor-batches.js';
import type { Sql } from './database.js';

/** An issued document as the archive takes it (authorized or annulled: signed and known to the DGI). */
export interface IssuedForArchive {
  id: string;
  docType: string;
  branch: string;
  pointOfSale: string;
  number: string;
  cufe: string;
  status: string;
  issuedAt: string | null;
  total: string | null;
  signedXml: string;
  protocol: string | null;
  authorizedAt: string | null;
  pac: string | null;
  /** The PAC's last answer that authorized it (no credentials: exchanges never hold them). */
  authorization: Record<string, unknown> | null;
}

export interface ReceivedForArchive {
  id: string;
  docType: string;
  supplierRuc: string;
  pointOfSale: string;
  number: string;
  cufe: string;
  status: string;
  issuedAt: string | null;
  total: string;
  xml: string;
  dgi: Record<string, unknown> | null;
}

interface Window {
  companyId: string;
  environment: '1' | '2';
  from: Date;
  to: Date;
}

const BATCH = 200;

/** The period's issued documents with a signature the DGI knows, in batches (a month may not fit memory). */
export function issuedForArchive(sql: Sql, w: Window): AsyncGenerator<IssuedForArchive[]> {
  const cursor = sql<
    Array<{
      id: string;
      doc_type: string;
      branch: string;
      point_of_sale: string;
      number: string;
      cufe: string;
      status: string;
      issued_at: Date | null;
      total: string | null;
      signed_xml: string;
      protocol: string | null;
      authorized_at: string | null;
      pac: string | null;
      authorization: Record<string, unknown> | null;
    }>
  >`
    select d.id, d.doc_type, d.branch, d.point_of_sale, d.number, d.cufe, d.status, d.issued_at, d.total::text as total,
           d.signed_xml, d.protocol, d.authorized_at, d.pac,
           (select jsonb_build_object('operation', e.operation, 'status', e.status, 'pacCode', e.pac_code,
                   'pacMessage', e.pac_message, 'at', e.created_at, 'response', e.raw -> 'response')
              from document_pac_exchanges e
             where e.document_id = d.id and e.status = 'authorized' order by e.id desc limit 1) as authorization
    from documents d
    where d.company_id = ${w.companyId} and d.environment = ${Number(w.environment)}
      and d.status in ('authorized', 'annulled') and d.signed_xml is not null
      and d.issued_at >= ${w.from} and d.issued_at < ${w.to}
    order by d.doc_type, d.branch, d.point_of_sale, d.number`.cursor(BATCH);
  return mappedBatches(cursor, (r) => ({
    id: r.id,
    docType: r.doc_type,
    branch: r.branch,
    pointOfSale: r.point_of_sale,
    number: r.number,
    cufe: r.cufe,
    status: r.status,
    issuedAt: r.issued_at?.toISOString() ?? null,
    total: r.total,
    signedXml: r.signed_xml,
    protocol: r.protocol,
    authorizedAt: r.authorized_at,
    pac: r.pac,
    authorization: r.authorization,
  }));
}

/** The period's received documents the DGI confirmed (accepted, or annulled afterwards), in batches. */
export function receivedForArchive(sql: Sql, w: Window): AsyncGenerator<ReceivedForArchive[]> {
  const cursor = sql<
    Array<{
      id: string;
      doc_type: string;
      supplier_ruc: string;
      point_of_sale: string;
      number: string;
      cufe: string;
      status: string;
      issued_at: Date | null;
      total: string;
      xml: string;
      dgi: Record<string, unknown> | null;
    }>
  >`
    select id, doc_type, supplier_ruc, point_of_sale, number, cufe, status, issued_at, total::text as total, xml, dgi
    from received_documents
    where company_id = ${w.companyId} and environment = ${Number(w.environment)}
      and status in ('accepted', 'annulled')
      and issued_at >= ${w.from} and issued_at < ${w.to}
    order by supplier_ruc, doc_type, point_of_sale, number`.cursor(BATCH);
  return mappedBatches(cursor, (r) => ({
    id: r.id,
    docType: r.doc_type,
    supplierRuc: r.supplier_ruc,
    pointOfSale: r.point_of_sale,
    number: r.number,
    cufe: r.cufe,
    status: r.status,
    issuedAt: r.issued_at?.toISOString() ?? null,
    total: r.total,
    xml: r.xml,
    dgi: r.dgi,
  }));
}
