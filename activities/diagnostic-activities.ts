import type { RoundtripResult } from '../common/roundtrip.js';
import type { Sql } from '../platform/storage/database.js';

export interface DiagnosticDeps {
  sql: Sql;
  workerIdentity: string;
}

export function createDiagnosticActivities({ sql, workerIdentity }: DiagnosticDeps) {
  return {
    /** Writes the probe row (idempotent on retry: the first write wins) and reads it back. */
    async recordRoundtripProbe(input: { probeId: string; note: string }): Promise<RoundtripResult> {
      const [row] = await sql<
        { probe_id: string; note: string; worker_identity: string; recorded_at: Date }[]
      >`
        insert into diagnostic_probes (probe_id, note, worker_identity)
        values (${input.probeId}, ${input.note}, ${workerIdentity})
        on conflict (probe_id) do update set probe_id = excluded.probe_id
        returning probe_id, note, worker_identity, recorded_at`;
      if (!row) throw new Error('diagnostic probe row was not written');
      return {
        probeId: row.probe_id,
        note: row.note,
        recordedAt: row.recorded_at.toISOString(),
        workerIdentity: row.worker_identity,
      };
    },
  };
}

export type DiagnosticActivities = ReturnType<typeof createDiagnosticActivities>;
