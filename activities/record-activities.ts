import type { Sql } from '../storage/database.js';
import { recordTransition } from '../storage/document-store.js';

export function createRecordActivities(deps: { sql: Sql }) {
  return {
    /** Mirrors a workflow state change into PostgreSQL (row status + append-only event), idempotently. */
    async recordDocumentTransition(input: {
      documentId: string;
      seq: number;
      from: string | null;
      to: string;
      actor: string;
      kind: string;
      detail: Record<string, unknown>;
    }): Promise<void> {
      await recordTransition(deps.sql, input);
    },
  };
}

export type RecordActivities = ReturnType<typeof createRecordActivities>;
