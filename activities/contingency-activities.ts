import { Context } from '@temporalio/activity';
import type { ContingencyOpening } from '../common/contingency-messages.js';
import {
  closeContingency,
  contingencyCounts,
  contingencyDocuments,
  explainContingency,
  findContingency,
  findOpenContingency,
  loadContingencySettings,
  openContingency,
  recordTransmitted,
} from '../platform/storage/contingency-store.js';
import { reissueInContingency } from '../platform/storage/contingency-reissue.js';
import type { Sql } from '../platform/storage/database.js';

/**
 * The contingency workflow's bookkeeping, and the two questions a document issued in contingency asks.
 * Everything lives in PostgreSQL: the document's build reads the open contingency from there.
 */
export function createContingencyActivities(deps: { sql: Sql }) {
  return {
    /** Records the contingency (or adopts the one already open) and returns what the workflow keeps. */
    async recordContingencyOpened(input: {
      companyId: string;
      environment: '1' | '2';
      opening: ContingencyOpening;
      workflowId: string;
    }) {
      const { record, opened } = await openContingency(deps.sql, {
        companyId: input.companyId,
        environment: input.environment,
        since: new Date(input.opening.since),
        reason: input.opening.reason,
        openedBy: input.opening.actor,
        evidence: input.opening.evidence,
        workflowId: input.workflowId,
      });
      const settings = await loadContingencySettings(deps.sql, input.companyId);
      return {
        contingencyId: record.id,
        since: record.since,
        reason: record.reason,
        openedBy: record.openedBy,
        ...(record.explanation ? { explanation: record.explanation } : {}),
        adopted: !opened,
        endAfterHealthyMs: settings.endAfterHealthyMinutes * 60_000,
      };
    },

    async recordContingencyExplanation(input: { contingencyId: string; explanation: string }): Promise<void> {
      await explainContingency(deps.sql, input.contingencyId, input.explanation);
    },

    async contingencyProgress(input: { contingencyId: string }) {
      return contingencyCounts(deps.sql, input.contingencyId);
    },

    async recordContingencyEnded(input: { contingencyId: string; endedBy: string }) {
      const record = await closeContingency(deps.sql, input.contingencyId, input.endedBy);
      return { endedAt: record.endedAt!, endedBy: record.endedBy! };
    },

    /** Documents issued under the contingency from position `from` on, in emission order (a page at a time). */
    async contingencyTransmissionPage(input: { contingencyId: string; from: number; limit: number }) {
      const all = await contingencyDocuments(deps.sql, input.contingencyId);
      return {
        total: all.length,
        page: all
          .slice(input.from, input.from + input.limit)
          .map((d) => ({ workflowId: d.workflowId, status: d.status, number: d.number })),
      };
    },

    async recordContingencyTransmitted(input: { contingencyId: string; transmitted: number }): Promise<void> {
      await recordTransmitted(deps.sql, input.contingencyId, input.transmitted);
    },

    /** Whether a document's contingency has ended (the document's safety net besides the signal). */
    async contingencyHasEnded(input: { contingencyId: string }): Promise<{ ended: boolean }> {
      const record = await findContingency(deps.sql, input.contingencyId);
      return { ended: !record || record.endedAt !== undefined };
    },

    /**
     * Point 3 of docs/document-lifecycle.md: re-issues a document queued offline as 01 in the company's open
     * contingency when the company allows it and the document never left fepa; says what it did.
     */
    async reissueQueuedInContingency(input: {
      documentId: string;
      companyId: string;
      environment: '1' | '2';
    }): Promise<{ reissued: false } | { reissued: true; previousCufe?: string; contingencyId: string }> {
      const settings = await loadContingencySettings(deps.sql, input.companyId);
      if (!settings.reissueOfflineDocuments) return { reissued: false };
      const open = await findOpenContingency(deps.sql, input.companyId, input.environment);
      if (!open) return { reissued: false };
      const result = await reissueInContingency(deps.sql, input.documentId);
      if (result.reissued)
        Context.current().log.info('document re-issued in contingency', {
          documentId: input.documentId,
          contingencyId: open.id,
        });
      return result.reissued
        ? {
            reissued: true,
            contingencyId: open.id,
            ...(result.previousCufe ? { previousCufe: result.previousCufe } : {}),
          }
        : { reissued: false };
    },
  };
}

export type ContingencyActivities = ReturnType<typeof createContingencyActivities>;
