import type { ReceivedIdentity } from '../../domain/receiving/identify-received.js';
import type { VerificationReport } from '../../domain/receiving/verify-received.js';
import type {
  DgiConfirmation,
  ManifestationState,
  ReceivedSource,
  ReceivedStatus,
} from '../../common/received-document.js';
import type { Sql } from './database.js';
import { isUuid } from './ids.js';

export interface ReceivedRow {
  id: string;
  companyId: string;
  cufe: string;
  environment: '1' | '2';
  docType: string;
  supplierRuc: string;
  supplierName: string;
  number: string;
  pointOfSale: string;
  issuedAt: string | null;
  total: string;
  itbms: string;
  sources: ReceivedSource[];
  status: ReceivedStatus;
  report: VerificationReport | null;
  dgi: DgiConfirmation | null;
  manifestation: ManifestationState | null;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
}

interface Row {
  id: string;
  company_id: string;
  cufe: string;
  environment: number;
  doc_type: string;
  supplier_ruc: string;
  supplier_name: string;
  number: string;
  point_of_sale: string;
  issued_at: Date | null;
  total: string;
  itbms: string;
  sources: ReceivedSource[];
  status: ReceivedStatus;
  report: VerificationReport | null;
  dgi: DgiConfirmation | null;
  manifestation: ManifestationState | null;
  workflow_id: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = `id, company_id, cufe, environment, doc_type, supplier_ruc, supplier_name, number, point_of_sale,
  issued_at, total::text as total, itbms::text as itbms, sources, status, report, dgi, manifestation, workflow_id,
  created_at, updated_at`;

const toRow = (r: Row): ReceivedRow => ({
  id: r.id,
  companyId: r.company_id,
  cufe: r.cufe,
  environment: String(r.environment) as '1' | '2',
  docType: r.doc_type,
  supplierRuc: r.supplier_ruc,
  supplierName: r.supplier_name,
  number: r.number,
  pointOfSale: r.point_of_sale,
  issuedAt: r.issued_at?.toISOString() ?? null,
  total: r.total,
  itbms: r.itbms,
  sources: r.sources,
  status: r.status,
  report: r.report,
  dgi: r.dgi,
  manifestation: r.manifestation,
  workflowId: r.workflow_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

const amount = (text: string) => (/^-?[0-9]{1,16}(\.[0-9]+)?$/.test(text) ? text : '0');
const timestamp = (text: string) => (Number.isNaN(new Date(text).getTime()) ? null : new Date(text));

/**
 * Keeps a received document: one row per company and CUFE. The same CUFE again (by another door, or the
 * same one twice) adds the door to `sources` and keeps the first XML: `created` says which happened.
 */
export async function recordReceived(
  sql: Sql,
  input: {
    companyId: string;
    identity: ReceivedIdentity;
    xml: string;
    source: ReceivedSource;
    workflowId: string;
  },
): Promise<{ row: ReceivedRow; created: boolean }> {
  const i = input.identity;
  const [row] = await sql<Array<Row & { created: boolean }>>`
    insert into received_documents (company_id, cufe, environment, doc_type, supplier_ruc, supplier_name, number,
      point_of_sale, issued_at, total, itbms, xml, sources, workflow_id)
    values (${input.companyId}, ${i.cufe}, ${Number(i.environment)}, ${i.docType}, ${i.supplierRuc}, ${i.supplierName},
      ${i.number}, ${i.pointOfSale}, ${timestamp(i.issuedAt)}, ${amount(i.total)}, ${amount(i.itbms)}, ${input.xml},
      ${[input.source]}, ${input.workflowId})
    on conflict (company_id, cufe) do update set
      sources = (select array_agg(distinct s) from unnest(received_documents.sources || excluded.sources) s),
      updated_at = case when ${input.source} = any(received_documents.sources) then received_documents.updated_at else now() end
    returning ${sql.unsafe(COLUMNS)}, (xmax = 0) as created`;
  return { row: toRow(row!), created: row!.created };
}

export async function findReceived(
  sql: Sql,
  companyId: string,
  idOrCufe: string,
): Promise<ReceivedRow | undefined> {
  const [row] = isUuid(idOrCufe)
    ? await sql<
        Row[]
      >`select ${sql.unsafe(COLUMNS)} from received_documents where company_id = ${companyId} and id = ${idOrCufe}`
    : await sql<
        Row[]
      >`select ${sql.unsafe(COLUMNS)} from received_documents where company_id = ${companyId} and cufe = ${idOrCufe}`;
  return row ? toRow(row) : undefined;
}

export async function receivedXml(sql: Sql, companyId: string, id: string): Promise<string | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await sql<Array<{ xml: string }>>`
    select xml from received_documents where company_id = ${companyId} and id = ${id}`;
  return row?.xml;
}

export interface ReceivedFilter {
  status?: string | undefined;
  supplierRuc?: string | undefined;
  docType?: string | undefined;
  /** Issue date range (inclusive from, exclusive to). */
  from?: Date | undefined;
  to?: Date | undefined;
  minTotal?: string | undefined;
  maxTotal?: string | undefined;
  limit: number;
  after?: { createdAt: string; id: string } | undefined;
}

export async function listReceived(sql: Sql, companyId: string, f: ReceivedFilter): Promise<ReceivedRow[]> {
  const rows = await sql<Row[]>`
    select ${sql.unsafe(COLUMNS)} from received_documents
    where company_id = ${companyId}
      ${f.status ? sql`and status = ${f.status}` : sql``}
      ${f.supplierRuc ? sql`and supplier_ruc = ${f.supplierRuc}` : sql``}
      ${f.docType ? sql`and doc_type = ${f.docType}` : sql``}
      ${f.from ? sql`and issued_at >= ${f.from}` : sql``}
      ${f.to ? sql`and issued_at < ${f.to}` : sql``}
      ${f.minTotal ? sql`and total >= ${f.minTotal}` : sql``}
      ${f.maxTotal ? sql`and total <= ${f.maxTotal}` : sql``}
      ${f.after ? sql`and (created_at, id) < (${new Date(f.after.createdAt)}, ${f.after.id})` : sql``}
    order by created_at desc, id desc
    limit ${f.limit}`;
  return rows.map(toRow);
}

/** What the workflow's activities need: the XML and the receiving company's RUC. */
export async function loadReceivedWork(
  sql: Sql,
  id: string,
): Promise<{ row: ReceivedRow; xml: string; companyRuc: string }> {
  const [row] = await sql<Array<Row & { xml: string; company_ruc: string }>>`
    select ${sql.unsafe(COLUMNS)}, xml, (select ruc from companies c where c.id = r.company_id) as company_ruc
    from received_documents r where id = ${id}`;
  if (!row) throw new Error(`received document ${id} not found`);
  return { row: toRow(row), xml: row.xml, companyRuc: row.company_ruc };
}

export async function saveReceivedState(
  sql: Sql,
  id: string,
  change: {
    status: ReceivedStatus;
    report?: VerificationReport;
    dgi?: DgiConfirmation;
    manifestation?: ManifestationState;
  },
): Promise<void> {
  await sql`
    update received_documents set status = ${change.status},
      report = coalesce(${change.report ? sql.json(change.report as never) : null}::jsonb, report),
      dgi = coalesce(${change.dgi ? sql.json(change.dgi as never) : null}::jsonb, dgi),
      manifestation = coalesce(${change.manifestation ? sql.json(change.manifestation as never) : null}::jsonb, manifestation),
      updated_at = now()
    where id = ${id}`;
}

/** Receiving settings of a company (an automatic acknowledgment on acceptance, or none). */
export async function receivingSettings(
  sql: Sql,
  companyId: string,
): Promise<{ autoAcknowledge: string | null }> {
  const [row] = await sql<Array<{ auto_acknowledge: string | null }>>`
    select auto_acknowledge from company_receiving_settings where company_id = ${companyId}`;
  return { autoAcknowledge: row?.auto_acknowledge ?? null };
}

export async function saveReceivingSettings(
  sql: Sql,
  companyId: string,
  settings: { autoAcknowledge: string | null },
): Promise<void> {
  await sql`
    insert into company_receiving_settings (company_id, auto_acknowledge) values (${companyId}, ${settings.autoAcknowledge})
    on conflict (company_id) do update set auto_acknowledge = excluded.auto_acknowledge, updated_at = now()`;
}
