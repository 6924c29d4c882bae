import type { Client } from '@temporalio/client';
import { WorkflowNotFoundError } from '@temporalio/client';
import type { Sql } from '../../platform/storage/database.js';
import type { ClientOutcome } from './chaos-client.js';

/** States where a document rests: done, or waiting for a person. */
export const SETTLED = ['authorized', 'rejected', 'needs_support', 'annulled', 'cancelled'];

/** fepa's status → the simulator's record status it must agree with. */
const AGREES: Record<string, string[]> = {
  authorized: ['authorized'],
  rejected: ['rejected'],
  needs_support: ['error'],
  annulled: ['annulled'],
  cancelled: ['rejected'],
};

export interface DocumentRecord {
  id: string;
  number: string;
  status: string;
  workflowId: string;
  protocol: string | null;
}

export interface SimRecord {
  number: string;
  status: string;
  submissions: number;
  protocol?: string;
}

export interface ChaosVerdict {
  accepted: number;
  notAccepted: number;
  lost: Array<{ key: string; documentId?: string; why: string }>;
  /** With fepa's PAC exchanges of that document, oldest first: how it came to be sent again. */
  duplicates: Array<{ number: string; submissions: number; exchanges: string[] }>;
  mismatches: Array<{ number: string; fepa: string; pac: string; why: string }>;
  stuck: Array<{ number: string; status: string }>;
  numberGaps: number[];
  uncleanServerErrors: number;
}

export async function companyDocuments(sql: Sql, companyId: string): Promise<DocumentRecord[]> {
  return sql<DocumentRecord[]>`
    select id, number, status, workflow_id as "workflowId", protocol from documents where company_id = ${companyId}`;
}

/**
 * The run's promises, checked from every side: fepa's rows, the API's answers, Temporal, and the
 * simulator's own records. Every accepted request has its row and its workflow (0 lost); the PAC saw each
 * document submitted once (0 duplicates); fepa and the PAC agree on every document (0 mismatches); each
 * rests in a settled state (0 stuck); allocated numbers run 1…n without gaps.
 */
export async function verifyChaosRun(input: {
  sql: Sql;
  client: Client;
  companyId: string;
  outcomes: ClientOutcome[];
  simRecords: SimRecord[];
}): Promise<ChaosVerdict> {
  const rows = await companyDocuments(input.sql, input.companyId);
  const byId = new Map(rows.map((r) => [r.id, r]));
  const lost: ChaosVerdict['lost'] = [];
  for (const o of input.outcomes) {
    if (!o.documentId) continue;
    const row = byId.get(o.documentId);
    if (!row) lost.push({ key: o.key, documentId: o.documentId, why: 'accepted, but no row' });
  }
  for (const row of rows) {
    try {
      await input.client.workflow.getHandle(row.workflowId).describe();
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      lost.push({ key: row.number, documentId: row.id, why: 'row without a workflow' });
    }
  }
  const sim = new Map(input.simRecords.map((r) => [Number(r.number), r]));
  const duplicates: ChaosVerdict['duplicates'] = [];
  for (const r of input.simRecords.filter((d) => d.submissions > 1)) {
    const row = rows.find((d) => Number(d.number) === Number(r.number));
    const exchanges = row
      ? await input.sql<Array<{ e: string }>>`
          select operation || ':' || status || coalesce(' ' || pac_code, '') || coalesce(' ' || left(pac_message, 80), '') as e
          from document_pac_exchanges where document_id = ${row.id} order by id`
      : [];
    duplicates.push({ number: r.number, submissions: r.submissions, exchanges: exchanges.map((x) => x.e) });
  }
  const mismatches: ChaosVerdict['mismatches'] = [];
  const stuck: ChaosVerdict['stuck'] = [];
  for (const row of rows) {
    if (!SETTLED.includes(row.status)) {
      stuck.push({ number: row.number, status: row.status });
      continue;
    }
    const pac = sim.get(Number(row.number));
    if (!pac) {
      mismatches.push({
        number: row.number,
        fepa: row.status,
        pac: 'none',
        why: 'the PAC never received it',
      });
      continue;
    }
    if (!(AGREES[row.status] ?? []).includes(pac.status))
      mismatches.push({ number: row.number, fepa: row.status, pac: pac.status, why: 'different states' });
    else if (row.status === 'authorized' && pac.protocol && row.protocol !== pac.protocol)
      mismatches.push({ number: row.number, fepa: row.status, pac: pac.status, why: 'different protocols' });
  }
  const numbers = new Set(rows.map((r) => Number(r.number)));
  const numberGaps: number[] = [];
  for (let n = 1; n <= Math.max(0, ...numbers); n++) if (!numbers.has(n)) numberGaps.push(n);
  return {
    accepted: input.outcomes.filter((o) => o.documentId).length,
    notAccepted: input.outcomes.filter((o) => !o.documentId).length,
    lost,
    duplicates,
    mismatches,
    stuck,
    numberGaps,
    uncleanServerErrors: input.outcomes.reduce((n, o) => n + o.uncleanServerErrors, 0),
  };
}

/** What the PAC answered fepa, by operation and unified status: evidence that the faults really happened. */
export async function pacAnswerCounts(sql: Sql, companyId: string): Promise<Record<string, number>> {
  const rows = await sql<Array<{ operation: string; status: string; n: number }>>`
    select e.operation, e.status, count(*)::int as n from document_pac_exchanges e
    join documents d on d.id = e.document_id where d.company_id = ${companyId}
    group by 1, 2 order by 1, 2`;
  return Object.fromEntries(rows.map((r) => [`${r.operation}:${r.status}`, r.n]));
}
