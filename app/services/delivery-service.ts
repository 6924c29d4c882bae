import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import { DEFAULT_TIMINGS, type DocumentTimings } from '../../common/document-messages.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { receiverEmail } from '../../domain/cafe/receiver-email.js';
import { findCompanyDocument } from '../../platform/storage/document-queries.js';
import type { Sql } from '../../platform/storage/database.js';
import { findDeliverySource, listDeliveries, type Delivery } from '../../platform/storage/delivery-store.js';
import type { cafeDeliveryWorkflow } from '../../workflows/cafe-delivery-workflow.js';

export type DeliverOutcome =
  | { outcome: 'not-found' }
  | { outcome: 'refused'; reason: string }
  | { outcome: 'started'; workflowId: string; address: string };

/** The CAFE's e-mails of a document: what was sent (for the API) and an operator's resend. */
export class DeliveryService {
  constructor(
    private readonly deps: {
      sql: Sql;
      client: Client;
      taskQueue?: string | undefined;
      timings?: Partial<DocumentTimings> | undefined;
    },
  ) {}

  list(documentId: string): Promise<Delivery[]> {
    return listDeliveries(this.deps.sql, documentId);
  }

  /** Sends the CAFE and XML again, to `to` or to the receiver's address, in a delivery workflow of its own. */
  async resend(companyId: string, documentId: string, request: { actor: string; to?: string | undefined }) {
    const row = await findCompanyDocument(this.deps.sql, companyId, documentId);
    if (!row) return { outcome: 'not-found' } satisfies DeliverOutcome;
    const source = await findDeliverySource(this.deps.sql, documentId);
    if (!source?.signedXml)
      return {
        outcome: 'refused',
        reason: 'the document is not signed yet: there is nothing to send',
      } satisfies DeliverOutcome;
    if (row.status !== 'authorized' && row.status !== 'annulled')
      return {
        outcome: 'refused',
        reason: `the document is ${row.status}: its CAFE is sent once it is authorized`,
      } satisfies DeliverOutcome;
    const address = request.to ?? receiverEmail(source.signedXml);
    if (!address)
      return {
        outcome: 'refused',
        reason: 'the receiver has no e-mail address (gDatRec/dCorElectRec): give one in "to"',
      } satisfies DeliverOutcome;
    const t = { ...DEFAULT_TIMINGS, ...this.deps.timings };
    const workflowId = `cafe-delivery:${documentId}:${randomUUID()}`;
    await this.deps.client.workflow.start<typeof cafeDeliveryWorkflow>('cafeDeliveryWorkflow', {
      taskQueue: this.deps.taskQueue ?? TASK_QUEUES.documents,
      workflowId,
      args: [
        {
          documentId,
          to: address,
          requestedBy: request.actor,
          retryInitialMs: t.deliveryRetryInitialMs,
          giveUpMs: t.deliveryGiveUpMs,
        },
      ],
    });
    return { outcome: 'started', workflowId, address } satisfies DeliverOutcome;
  }
}
