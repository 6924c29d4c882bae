import { Context } from '@temporalio/activity';
import type { Sql } from '../platform/storage/database.js';
import { recordTransition } from '../platform/storage/document-store.js';
import { documentCompanyHasWebhook } from '../platform/storage/webhook-store.js';

export function createRecordActivities(deps: { sql: Sql }) {
  return {
    /**
     * Mirrors a workflow state change into PostgreSQL (row status + append-only event), idempotently, and
     * says whether the company has a webhook to notify.
     */
    async recordDocumentTransition(
      input: Parameters<typeof recordTransition>[1],
    ): Promise<{ webhook: boolean }> {
      try {
        await recordTransition(deps.sql, input);
        return { webhook: await documentCompanyHasWebhook(deps.sql, input.documentId) };
      } catch (err) {
        // Retried without limit by the workflow: say so, so a database outage is visible while it lasts.
        const { info, log } = Context.current();
        log.warn('bookkeeping failed; the document waits for PostgreSQL and retries', {
          documentId: input.documentId,
          to: input.to,
          attempt: info.attempt,
          local: info.isLocal,
          error: err instanceof Error ? err.message : String(err),
        });
        throw err;
      }
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
