import type { PacInboxSummary } from '../../common/mailbox.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import type { ReceivedSource } from '../../common/received-document.js';
import {
  intakeReceived,
  receivingPacQueue,
  type IntakeDeps,
  type ReceiveOutcome,
} from '../../platform/temporal/received-intake.js';
import {
  getReceivedState,
  manifestUpdate,
  type ManifestRequest,
  type ReceivedState,
} from '../../common/received-messages.js';
import { CafeError, cafeModel } from '../../domain/cafe/cafe-model.js';
import { formatOfSignedXml, renderCafe, type CafeFormat } from '../../domain/cafe/render-cafe.js';
import {
  findReceived,
  listReceived,
  receivedXml,
  type ReceivedFilter,
  type ReceivedRow,
} from '../../platform/storage/received-store.js';
import { applyUpdate, type ActionOutcome } from './document-actions.js';

export type { ReceiveOutcome };
export type ReceivedServiceDeps = IntakeDeps;

/**
 * Suppliers' documents for the API, the CLI and the mailbox: one intake for every door, one record and one
 * workflow per company and CUFE (docs/receiving.md).
 */
export class ReceivedService {
  constructor(private readonly deps: ReceivedServiceDeps) {}

  /**
   * Takes a supplier's XML (platform/temporal/received-intake.ts): refused with the path and rule when it
   * cannot be identified, else one record and one workflow per company and CUFE.
   */
  receive(companyId: string, xml: string, source: ReceivedSource): Promise<ReceiveOutcome> {
    return intakeReceived(this.deps, companyId, xml, source);
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

  /**
   * Reads the PAC's reception service now (eDoc service 2): what it holds for the company goes through the
   * intake. Answers what came of it (or that the company's PAC does not offer it).
   */
  async pullFromPac(companyId: string): Promise<PacInboxSummary> {
    const documentsTaskQueue = this.deps.taskQueue ?? TASK_QUEUES.documents;
    return this.deps.client.workflow.execute<(input: unknown) => Promise<PacInboxSummary>>(
      'pacInboxWorkflow',
      {
        taskQueue: documentsTaskQueue,
        workflowId: `pac-inbox:${companyId}:${Date.now()}`,
        args: [
          {
            companyId,
            pacTaskQueue: await receivingPacQueue(this.deps, companyId),
            documentsTaskQueue,
            ...(this.deps.pacTaskQueuePrefix ? { pacTaskQueuePrefix: this.deps.pacTaskQueuePrefix } : {}),
            ...(this.deps.timings ? { receivedTimings: this.deps.timings } : {}),
          },
        ],
      },
    );
  }

  /** The live state from the workflow, when it still runs (the row is the record either way). */
  async liveState(row: ReceivedRow): Promise<ReceivedState | null> {
    // A purged workflow, or Temporal unreachable: the row answers alone.
    return this.deps.client.workflow
      .getHandle(row.workflowId)
      .query(getReceivedState)
      .catch(() => null);
  }

  /** The receiver's manifestation, through the document's workflow (refused with the reason when it cannot be). */
  async manifest(
    companyId: string,
    id: string,
    request: ManifestRequest,
  ): Promise<ActionOutcome<ReceivedState>> {
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
  ): Promise<
    | { outcome: 'not-found' }
    | { outcome: 'unreadable'; reason: string }
    | { outcome: 'ok'; pdf: Buffer; fileName: string }
  > {
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
