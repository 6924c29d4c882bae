import { markHandedOver } from '../../platform/storage/contingency-store.js';
import {
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
  type WorkflowHandle,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { DocumentState } from '../../common/document-lifecycle.js';
import {
  annulUpdate,
  cancelUpdate,
  getDocumentState,
  resubmitUpdate,
  submitUpdate,
  type OperatorAction,
} from '../../common/document-messages.js';
import type { Sql } from '../../platform/storage/database.js';
import {
  companyDocumentsNeedingRetry,
  findCompanyDocument,
  listCompanyDocuments,
  type DocumentFilter,
  type DocumentRow,
} from '../../platform/storage/document-queries.js';
import { loadSignedXml } from '../../platform/storage/document-store.js';

export type OperatorActionKind = 'submit' | 'resubmit' | 'annul' | 'cancel';
export type ActionOutcome<S = DocumentState> =
  { outcome: 'done'; state: S } | { outcome: 'refused'; reason: string } | { outcome: 'not-found' };

const UPDATES = { submit: submitUpdate, resubmit: resubmitUpdate, annul: annulUpdate, cancel: cancelUpdate };

/**
 * Runs an operator action as the workflow's Update; a refusal (the validator's reason, or a closed
 * document) is an answer, not an error. The one place that maps a refused update.
 */
export async function applyUpdate<A, S = DocumentState>(
  client: Client,
  handle: WorkflowHandle,
  update: UpdateDefinition<S, [A]>,
  action: A,
  options: { updateId?: string } = {},
): Promise<ActionOutcome<S>> {
  try {
    const state = await client.connection.withDeadline(Date.now() + 15_000, () =>
      handle.executeUpdate(update, { args: [action], ...options }),
    );
    return { outcome: 'done', state };
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError)
      return { outcome: 'refused', reason: err.cause?.message ?? err.message };
    if (err instanceof WorkflowNotFoundError) return { outcome: 'refused', reason: 'the document is closed' };
    throw err;
  }
}

/** Reading documents and acting on them for the API: rows from PostgreSQL, live state from Temporal. */
export class DocumentActions {
  constructor(private readonly deps: { sql: Sql; client: Client }) {}

  async act(
    companyId: string,
    documentId: string,
    kind: OperatorActionKind,
    action: OperatorAction,
  ): Promise<ActionOutcome> {
    const row = await findCompanyDocument(this.deps.sql, companyId, documentId);
    if (!row) return { outcome: 'not-found' };
    const handle = this.deps.client.workflow.getHandle(row.workflowId);
    return applyUpdate(this.deps.client, handle, UPDATES[kind], action);
  }

  /** The row and the workflow's live state (null once the closed workflow is purged: the row is the record). */
  async detail(
    companyId: string,
    documentId: string,
  ): Promise<{ row: DocumentRow; state: DocumentState | null; stateUnavailable?: string } | undefined> {
    const row = await findCompanyDocument(this.deps.sql, companyId, documentId);
    if (!row) return undefined;
    try {
      return {
        row,
        state: await this.deps.client.workflow.getHandle(row.workflowId).query(getDocumentState),
      };
    } catch (err) {
      if (err instanceof WorkflowNotFoundError) return { row, state: null };
      // The row (PostgreSQL's mirror of every state change) still answers while the workflow's query
      // cannot (Temporal unreachable, a worker that cannot answer now): say why, never a 500.
      return { row, state: null, stateUnavailable: (err as Error).message.slice(0, 300) };
    }
  }

  list(companyId: string, filter: DocumentFilter): Promise<DocumentRow[]> {
    return listCompanyDocuments(this.deps.sql, companyId, filter);
  }

  /** The signed XML; `undefined` when the company has no such document, `null` when it is not signed yet. */
  async signedXml(companyId: string, documentId: string): Promise<string | null | undefined> {
    if (!(await findCompanyDocument(this.deps.sql, companyId, documentId))) return undefined;
    // Marked before it is read: a document whose XML left fepa is never re-issued (contingency point 3).
    await markHandedOver(this.deps.sql, documentId);
    return (await loadSignedXml(this.deps.sql, documentId)) ?? null;
  }

  /** Resubmits every document of the company waiting for support; one answer per document. */
  async retryAll(
    companyId: string,
    action: OperatorAction,
  ): Promise<Array<{ id: string; resubmitted: boolean; reason?: string }>> {
    const results = [];
    for (const doc of await companyDocumentsNeedingRetry(this.deps.sql, companyId)) {
      const handle = this.deps.client.workflow.getHandle(doc.workflowId);
      const done = await applyUpdate(this.deps.client, handle, resubmitUpdate, action).catch(() => ({
        outcome: 'refused' as const,
        reason: 'unavailable',
      }));
      results.push(
        done.outcome === 'done'
          ? { id: doc.id, resubmitted: true }
          : {
              id: doc.id,
              resubmitted: false,
              reason: done.outcome === 'refused' ? done.reason : 'not found',
            },
      );
    }
    return results;
  }
}
