import type { TaxLine } from '../../domain/books/tax-lines.js';
import { mappedBatches } from './cursor-batches.js';
import type { Sql } from './database.js';

/** One document of a book: its type, what it is grouped by, and its ITBMS by rate (or its XML to read). */
export interface BookSourceRow {
  id: string;
  docType: string;
  group: Record<string, string>;
  /** Null for documents kept before the books existed: `xml` then holds the document to read them from. */
  taxLines: TaxLine[] | null;
  xml: string | null;
}

export interface BookSource {
  /** The documents, a batch at a time (a month may not fit memory). */
  rows: AsyncIterable<BookSourceRow[]>;
  /** Documents of the period left out, and why (an accountant asks where they went). */
  excluded: Record<string, number>;
}

const BATCH = 2_000;

/** Counts by reason, as the queries below give them. */
const countsOf = (rows: ReadonlyArray<{ reason: string; n: number }>) =>
  Object.fromEntries(rows.map((e) => [e.reason, e.n]));

interface Window {
  companyId: string;
  environment: '1' | '2';
  from: Date;
  to: Date;
}

/**
 * The sales book's documents: the company's issued documents of the period (by dFechaEm) that are
 * authorized. Annulled ones are left out, and so are those not authorized yet (a contingency document
 * counts once it is); both are counted in `excluded`.
 */
export async function salesBookSource(sql: Sql, w: Window): Promise<BookSource> {
  const rows = sql<
    Array<{
      id: string;
      doc_type: string;
      branch: string;
      point_of_sale: string;
      tax_lines: TaxLine[] | null;
      xml: string | null;
    }>
  >`
    select id, doc_type, branch, point_of_sale, tax_lines,
           case when tax_lines is null then coalesce(signed_xml, unsigned_xml) end as xml
    from documents
    where company_id = ${w.companyId} and environment = ${Number(w.environment)} and status = 'authorized'
      and issued_at >= ${w.from} and issued_at < ${w.to}
    order by doc_type, branch, point_of_sale, number`.cursor(BATCH);
  const excluded = await sql<Array<{ reason: string; n: number }>>`
    select case when status = 'annulled' then 'annulled' when status = 'cancelled' then 'cancelled'
                else 'not_authorized_yet' end as reason, count(*)::int as n
    from documents
    where company_id = ${w.companyId} and environment = ${Number(w.environment)} and status <> 'authorized'
      and issued_at >= ${w.from} and issued_at < ${w.to}
    group by 1`;
  return {
    rows: mappedBatches(rows, (r) => ({
      id: r.id,
      docType: r.doc_type,
      group: { branch: r.branch, pointOfSale: r.point_of_sale },
      taxLines: r.tax_lines,
      xml: r.xml,
    })),
    excluded: countsOf(excluded),
  };
}

/** The purchase book's documents: received documents of the period the DGI confirmed (`accepted`). */
export async function purchaseBookSource(sql: Sql, w: Window): Promise<BookSource> {
  const rows = sql<
    Array<{
      id: string;
      doc_type: string;
      supplier_ruc: string;
      supplier_name: string;
      tax_lines: TaxLine[] | null;
      xml: string | null;
    }>
  >`
    select id, doc_type, supplier_ruc, supplier_name, tax_lines,
           case when tax_lines is null then xml end as xml
    from received_documents
    where company_id = ${w.companyId} and environment = ${Number(w.environment)} and status = 'accepted'
      and issued_at >= ${w.from} and issued_at < ${w.to}
    order by supplier_ruc, doc_type, number`.cursor(BATCH);
  const excluded = await sql<Array<{ reason: string; n: number }>>`
    select status as reason, count(*)::int as n
    from received_documents
    where company_id = ${w.companyId} and environment = ${Number(w.environment)} and status <> 'accepted'
      and issued_at >= ${w.from} and issued_at < ${w.to}
    group by 1`;
  return {
    rows: mappedBatches(rows, (r) => ({
      id: r.id,
      docType: r.doc_type,
      group: { supplierRuc: r.supplier_ruc, supplierName: r.supplier_name },
      taxLines: r.tax_lines,
      xml: r.xml,
    })),
    excluded: countsOf(excluded),
  };
}

/** Keeps tax lines read from a document's XML, so the next book does not read it again. */
export async function saveTaxLines(
  sql: Sql,
  kind: 'sales' | 'purchases',
  lines: ReadonlyArray<{ id: string; taxLines: TaxLine[] }>,
): Promise<void> {
  if (lines.length === 0) return;
  const values = lines.map((l) => [l.id, JSON.stringify(l.taxLines)]);
  if (kind === 'sales')
    await sql`update documents d set tax_lines = v.lines::jsonb
              from (values ${sql(values)}) as v(id, lines) where d.id = v.id::uuid`;
  else
    await sql`update received_documents d set tax_lines = v.lines::jsonb
              from (values ${sql(values)}) as v(id, lines) where d.id = v.id::uuid`;
}
