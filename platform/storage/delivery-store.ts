import { randomUUID } from 'node:crypto';
import type { Sql } from './database.js';

/** What an e-mail of a document is made from: its signed XML, the PAC's answer, its company. */
export interface DeliverySource {
  companyId: string;
  signedXml: string | null;
  protocol: string | null;
  authorizedAt: string | null;
  pac: string | null;
  /** The name the receiver sees as the sender: the company's setting, else its name. */
  senderName: string;
}

export async function findDeliverySource(sql: Sql, documentId: string): Promise<DeliverySource | undefined> {
  const [row] = await sql<
    Array<{
      company_id: string;
      signed_xml: string | null;
      protocol: string | null;
      authorized_at: string | null;
      pac: string | null;
      sender_name: string;
    }>
  >`select d.company_id, d.signed_xml, d.protocol, d.authorized_at, d.pac,
      coalesce(c.mail_sender_name, c.name) as sender_name
    from documents d join companies c on c.id = d.company_id where d.id = ${documentId}`;
  return row
    ? {
        companyId: row.company_id,
        signedXml: row.signed_xml,
        protocol: row.protocol,
        authorizedAt: row.authorized_at,
        pac: row.pac,
        senderName: row.sender_name,
      }
    : undefined;
}

export interface Delivery {
  id: string;
  address: string;
  status: 'sending' | 'sent' | 'failed';
  messageId: string | null;
  attempts: number;
  lastError: string | null;
  requestedBy: string;
  workflowId: string;
  createdAt: string;
  updatedAt: string;
}

type DeliveryRow = {
  id: string;
  address: string;
  status: Delivery['status'];
  message_id: string | null;
  attempts: number;
  last_error: string | null;
  requested_by: string;
  workflow_id: string;
  created_at: Date;
  updated_at: Date;
};

const toDelivery = (r: DeliveryRow): Delivery => ({
  id: r.id,
  address: r.address,
  status: r.status,
  messageId: r.message_id,
  attempts: r.attempts,
  lastError: r.last_error,
  requestedBy: r.requested_by,
  workflowId: r.workflow_id,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
});

/** One more attempt of the delivery run by `workflowId` (created on its first attempt). */
export async function recordDeliveryAttempt(
  sql: Sql,
  input: { documentId: string; workflowId: string; address: string; requestedBy: string },
): Promise<void> {
  await sql`insert into document_deliveries (id, document_id, address, status, attempts, requested_by, workflow_id)
    values (${randomUUID()}, ${input.documentId}, ${input.address}, 'sending', 1, ${input.requestedBy}, ${input.workflowId})
    on conflict (workflow_id) do update set attempts = document_deliveries.attempts + 1,
      status = 'sending', updated_at = now()`;
}

export async function recordDeliveryResult(
  sql: Sql,
  workflowId: string,
  result: { status: 'sent'; messageId: string } | { status: 'sending' | 'failed'; error: string },
): Promise<void> {
  await sql`update document_deliveries set status = ${result.status},
      message_id = ${result.status === 'sent' ? result.messageId : null},
      last_error = ${result.status === 'sent' ? null : result.error}, updated_at = now()
    where workflow_id = ${workflowId}`;
}

/** The document's deliveries, newest first. */
export async function listDeliveries(sql: Sql, documentId: string): Promise<Delivery[]> {
  const rows = await sql<DeliveryRow[]>`select id, address, status, message_id, attempts, last_error,
      requested_by, workflow_id, created_at, updated_at
    from document_deliveries where document_id = ${documentId} order by created_at desc, id`;
  return rows.map(toDelivery);
}
