import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { WorkflowIdReusePolicy } from '@temporalio/common';
import { pacTaskQueue } from '../../common/pac-outcome.js';
import { receivedWorkflowId, type ReceivedSource } from '../../common/received-document.js';
import type { ReceivedTimings, ReceivedWorkflowInput } from '../../common/received-messages.js';
import { TASK_QUEUES } from '../../common/task-queues.js';
import { identifyReceived, type IntakeRefusal } from '../../domain/receiving/identify-received.js';
import { findCompany } from '../storage/company-store.js';
import type { Sql } from '../storage/database.js';
import { isUuid } from '../storage/ids.js';
import { findPacSettings } from '../storage/pac-settings-store.js';
import { recordReceived, type ReceivedRow } from '../storage/received-store.js';

export type ReceiveOutcome =
  | { outcome: 'company-not-found' }
  | { outcome: 'refused'; refusal: IntakeRefusal }
  | { outcome: 'created' | 'existing'; row: ReceivedRow };

export interface IntakeDeps {
  sql: Sql;
  client: Client;
  /** The workflows' task queue (tests run their own worker on a private queue). */
  taskQueue?: string | undefined;
  pacTaskQueuePrefix?: string | undefined;
  timings?: Partial<ReceivedTimings> | undefined;
}

/**
 * The one intake of every door (API, mailbox): a text that cannot be identified (not XML, a DTD, no valid
 * CUFE, too big) is refused and nothing is kept; anything else is recorded, then its workflow started. The
 * same CUFE again answers the first record (the door is added to its sources). A row still `received` never
 * got its workflow (a crash between the two): the next intake of that CUFE starts it; a finished workflow is
 * never run again.
 */
export async function intakeReceived(
  deps: IntakeDeps,
  companyId: string,
  xml: string,
  source: ReceivedSource,
): Promise<ReceiveOutcome> {
  if (!isUuid(companyId) || !(await findCompany(deps.sql, companyId)))
    return { outcome: 'company-not-found' };
  const identified = identifyReceived(xml);
  if (!identified.ok) return { outcome: 'refused', refusal: identified.refusal };
  const { identity } = identified;
  const workflowId = receivedWorkflowId(companyId, identity.cufe);
  const { row, created } = await recordReceived(deps.sql, { companyId, identity, xml, source, workflowId });
  if (created || row.status === 'received') await startReceivedWorkflow(deps, row);
  return { outcome: created ? 'created' : 'existing', row };
}

/** Receiving's PAC calls run on the company PAC's rate-limited task queue. */
export async function receivingPacQueue(
  deps: Pick<IntakeDeps, 'sql' | 'pacTaskQueuePrefix'>,
  companyId: string,
): Promise<string> {
  const { pac } = await findPacSettings(deps.sql, companyId);
  return `${deps.pacTaskQueuePrefix ?? ''}${pacTaskQueue(pac)}`;
}

async function startReceivedWorkflow(deps: IntakeDeps, row: ReceivedRow): Promise<void> {
  const input: ReceivedWorkflowInput = {
    receivedId: row.id,
    companyId: row.companyId,
    cufe: row.cufe,
    supplierRuc: row.supplierRuc,
    pacTaskQueue: await receivingPacQueue(deps, row.companyId),
    ...(deps.timings ? { timings: deps.timings } : {}),
  };
  try {
    await deps.client.workflow.start('receivedDocumentWorkflow', {
      taskQueue: deps.taskQueue ?? TASK_QUEUES.documents,
      workflowId: row.workflowId,
      args: [input],
      workflowIdReusePolicy: WorkflowIdReusePolicy.REJECT_DUPLICATE,
    });
  } catch (err) {
    if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
  }
}
