import {
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  type Client,
} from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { pacTaskQueue } from '../../common/pac-outcome.js';
import { receivedWorkflowId, type ReceivedSource } from '../../common/received-document.js';
import {
  getReceivedState,
  manifestUpdate,
  type ManifestRequest,
  type ReceivedState,
  type ReceivedTimings,
  type ReceivedWorkflowInput,
} from '../../common/received-messages.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { CafeError, cafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe, type CafeFormat } from '../../domain/cafe/render-cafe.js';
import { identifyReceived, type IntakeRefusal } from '../../domain/receiving/identify-received.js';
import { findCompany } from '../../platform/storage/company-store.js';
import type { Sql } from '../../platform/storage/database.js';
import { isUuid } from '../../platform/storage/ids.js';
import { findPacSettings } from '../../platform/storage/pac-settings-store.js';
import {
  findReceived,
  listReceived,
  receivedXml,
  recordReceived,
  type ReceivedFilter,
  type ReceivedRow,
} from '../../platform/storage/received-store.js';
import { applyUpdate, type ActionOutcome } from './document-actions.js';

export type ReceiveOutcome =
  | { outcome: 'company-not-found' }
  | { outcome: 'refused'; refusal: IntakeRefusal }
  | { outcome: 'created' | 'existing'; row: ReceivedRow };

export interface ReceivedServiceDeps {
  sql: Sql;
  client: Client;
  taskQueue?: string | undefined;
  pacTaskQueuePrefix?: string | undefined;
  timings?: Partial<ReceivedTimings> | undefined;
}

/**
 * Suppliers' documents for the API, the CLI and the mailbox: one intake for every door, one record and one
 * workflow per company and CUFE (docs/receiving.md).
 */
export class ReceivedService {
  constructor(private readonly deps: ReceivedServiceDeps) {}

  /**
   * Takes a supplier's XML. What cannot be identified (not XML, a DTD, no valid CUFE, too big) is refused
   * and nothing is kept; anything else is recorded and verified by its workflow. The same CUFE again, by any
   * door, answers the first record (the door is added to its sources).
   */
  async receive(companyId: string, xml: string, source: ReceivedSource): Promise<ReceiveOutcome> {
    if (!isUuid(companyId) || !(await findCompany(this.deps.sql, companyId))) return { outcome: 'company-not-found' };
    const identified = identifyReceived(xml);
    if (!identified.ok) return { outcome: 'refused', refusal: identified.refusal };
    const { identity } = identified;
    const workflowId = receivedWorkflowId(companyId, identity.cufe);
    const { row, created } = await recordReceived(this.deps.sql, { companyId, identity, xml, source, workflowId });
    // Started after the row is committed; a row still `received` never got its workflow (a crash between
    // the two): any later intake of the same CUFE starts it. Completed workflows are never run again.
    if (created || row.status === 'received') await this.start(row);
    return { outcome: created ? 'created' : 'existing', row };
  }

  private async start(row: ReceivedRow): Promise<void> {
    const { pac } = await findPacSettings(this.deps.sql, row.companyId);
    const input: ReceivedWorkflowInput = {
      receivedId: row.id,
      companyId: row.companyId,
      cufe: row.cufe,
      supplierRuc: row.supplierRuc,
      pacTaskQueue: `${this.deps.pacTaskQueuePrefix ?? ''}${pacTaskQueue(pac)}`,
      ...(this.deps.timings ? { timings: this.deps.timings } : {}),
    };
    try {
      await this.deps.client.workflow.start('receivedDocumentWorkflow', {
        taskQueue: this.deps.taskQueue ?? TASK_QUEUES.documents,
        workflowId: row.workflowId,
        args: [input],
        workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }

  find(companyId: string, idOrCufe: string): Promise<ReceivedRow | undefined> {
    return findReceived(this.deps.sql, companyId, idOrCufe);
  }

  list(companyId: string, filter: ReceivedFilter): Promise<ReceivedRow[]> {
    return listReceived(this.deps.sql, companyId, filter);
  }

  xml(companyId: string, id: string): Promise<string | undefined> {
    return receivedXml(this.deps.sql, companyId, id);
  }

  /** The live state from the workflow, when it still runs (the row is the record either way). */
  async liveState(row: ReceivedRow): Promise<ReceivedState | null> {
    try {
      return await this.deps.client.workflow.getHandle(row.workflowId).query(getReceivedState);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return null;
      return null;
    }
  }

  /** The receiver's manifestation, through the document's workflow (refused with the reason when it cannot be). */
  async manifest(companyId: string, id: string, request: ManifestRequest): Promise<ActionOutcome<ReceivedState>> {
    const row = await findReceived(this.deps.sql, companyId, id);
    if (!row) return { outcome: 'not-found' };
    const outcome = await applyUpdate(
      this.deps.client,
      this.deps.client.workflow.getHandle(row.workflowId),
      manifestUpdate,
      request,
    );
    if (outcome.outcome === 'refused' && /closed|not found/i.test(outcome.reason))
      return {
        outcome: 'refused',
        reason: `the document's workflow has finished (${row.status}); manifestations are taken until the annulment window closes`,
      };
    return outcome;
  }

  /** A CAFE rendering of the supplier's document (its own QR, the DGI's protocol when fepa has it). */
  async cafe(
    companyId: string,
    id: string,
    format?: CafeFormat,
  ): Promise<{ outcome: 'not-found' } | { outcome: 'unreadable'; reason: string } | { outcome: 'ok'; pdf: Buffer; fileName: string }> {
    const row = await findReceived(this.deps.sql, companyId, id);
    const xml = row && (await receivedXml(this.deps.sql, companyId, row.id));
    if (!row || !xml) return { outcome: 'not-found' };
    try {
      const model = cafeModel(xml, {
        protocol: row.dgi?.protocol,
        authorizedAt: row.dgi?.authorizedAt,
      });
      return {
        outcome: 'ok',
        pdf: await renderCafe(model, format ?? formatOfSignedXml(xml)),
        fileName: `CAFE-recibido-${row.supplierRuc}-${row.number}.pdf`,
      };
    } catch (err) {
      if (err instanceof CafeError) return { outcome: 'unreadable', reason: err.message };
      throw err;
    }
  }
}
