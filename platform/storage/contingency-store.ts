import {
  contingencySettingsOf,
  type ContingencyEvidence,
  type ContingencySettings,
  type Reachability,
} from '../../domain/contingency/contingency-settings.js';
import type { Sql } from './database.js';
import { isUuid } from './ids.js';

export interface ContingencyRecord {
  id: string;
  companyId: string;
  environment: '1' | '2';
  since: string;
  reason: string;
  explanation?: string | undefined;
  openedBy: string;
  openedAt: string;
  evidence?: ContingencyEvidence | undefined;
  workflowId: string;
  endedAt?: string | undefined;
  endedBy?: string | undefined;
  transmitted?: number | undefined;
}

interface ContingencyRow {
  id: string;
  company_id: string;
  environment: number;
  since: Date;
  reason: string;
  explanation: string | null;
  opened_by: string;
  opened_at: Date;
  evidence: ContingencyEvidence | null;
  workflow_id: string;
  ended_at: Date | null;
  ended_by: string | null;
  transmitted: number | null;
}

const toRecord = (r: ContingencyRow): ContingencyRecord => ({
  id: r.id,
  companyId: r.company_id,
  environment: String(r.environment) as '1' | '2',
  since: r.since.toISOString(),
  reason: r.reason,
  ...(r.explanation ? { explanation: r.explanation } : {}),
  openedBy: r.opened_by,
  openedAt: r.opened_at.toISOString(),
  ...(r.evidence ? { evidence: r.evidence } : {}),
  workflowId: r.workflow_id,
  ...(r.ended_at ? { endedAt: r.ended_at.toISOString() } : {}),
  ...(r.ended_by ? { endedBy: r.ended_by } : {}),
  ...(r.transmitted !== null ? { transmitted: r.transmitted } : {}),
});

export async function loadContingencySettings(sql: Sql, companyId: string): Promise<ContingencySettings> {
  const [row] = await sql<Array<{ contingency_settings: unknown }>>`
    select contingency_settings from companies where id = ${companyId}`;
  return contingencySettingsOf(row?.contingency_settings);
}

export async function saveContingencySettings(
  sql: Sql,
  companyId: string,
  settings: ContingencySettings,
): Promise<boolean> {
  if (!isUuid(companyId)) return false;
  const rows = await sql`update companies set contingency_settings = ${sql.json(settings)},
    updated_at = now() where id = ${companyId} returning id`;
  return rows.length === 1;
}

/** The open contingency of a company and environment, if any. */
export async function findOpenContingency(
  sql: Sql,
  companyId: string,
  environment: '1' | '2',
): Promise<ContingencyRecord | undefined> {
  const [row] = await sql<ContingencyRow[]>`
    select * from contingencies where company_id = ${companyId} and environment = ${Number(environment)}
      and ended_at is null`;
  return row ? toRecord(row) : undefined;
}

export async function findContingency(sql: Sql, id: string): Promise<ContingencyRecord | undefined> {
  if (!isUuid(id)) return undefined;
  const [row] = await sql<ContingencyRow[]>`select * from contingencies where id = ${id}`;
  return row ? toRecord(row) : undefined;
}

export async function listContingencies(
  sql: Sql,
  companyId: string,
  limit = 20,
): Promise<ContingencyRecord[]> {
  if (!isUuid(companyId)) return [];
  const rows = await sql<ContingencyRow[]>`
    select * from contingencies where company_id = ${companyId} order by opened_at desc limit ${limit}`;
  return rows.map(toRecord);
}

/**
 * Records an opened contingency; when one is already open for the company and environment, returns that one
 * (two documents, or an operator and fepa, deciding at the same moment open one contingency).
 */
export async function openContingency(
  sql: Sql,
  c: {
    companyId: string;
    environment: '1' | '2';
    since: Date;
    reason: string;
    openedBy: string;
    evidence?: ContingencyEvidence | undefined;
    workflowId: string;
  },
): Promise<{ record: ContingencyRecord; opened: boolean }> {
  const inserted = await sql<ContingencyRow[]>`
    insert into contingencies (company_id, environment, since, reason, opened_by, evidence, workflow_id)
    values (${c.companyId}, ${Number(c.environment)}, ${c.since}, ${c.reason}, ${c.openedBy},
      ${c.evidence ? sql.json(c.evidence as never) : null}, ${c.workflowId})
    on conflict (company_id, environment) where ended_at is null do nothing
    returning *`;
  if (inserted[0]) return { record: toRecord(inserted[0]), opened: true };
  const open = await findOpenContingency(sql, c.companyId, c.environment);
  if (!open) throw new Error('contingency neither inserted nor open'); // a close raced the insert: retried
  return { record: open, opened: false };
}

export async function explainContingency(sql: Sql, id: string, explanation: string): Promise<void> {
  await sql`update contingencies set explanation = ${explanation} where id = ${id}`;
}

/** Marks the contingency ended (once: a second call keeps the first end). */
export async function closeContingency(sql: Sql, id: string, endedBy: string): Promise<ContingencyRecord> {
  const [row] = await sql<ContingencyRow[]>`
    update contingencies set ended_at = coalesce(ended_at, now()), ended_by = coalesce(ended_by, ${endedBy})
    where id = ${id} returning *`;
  if (!row) throw new Error(`contingency ${id} not found`);
  return toRecord(row);
}

export async function recordTransmitted(sql: Sql, id: string, transmitted: number): Promise<void> {
  await sql`update contingencies set transmitted = ${transmitted} where id = ${id}`;
}

/** Documents issued under a contingency, in emission order (their numbers), with their workflow ids. */
export async function contingencyDocuments(
  sql: Sql,
  contingencyId: string,
): Promise<Array<{ id: string; workflowId: string; status: string; number: string }>> {
  return sql<Array<{ id: string; workflowId: string; status: string; number: string }>>`
    select id, workflow_id as "workflowId", status, number from documents
    where contingency_id = ${contingencyId} order by doc_type, branch, point_of_sale, number`;
}

export async function contingencyCounts(
  sql: Sql,
  contingencyId: string,
): Promise<{ issued: number; toTransmit: number; waitingForPerson: number }> {
  const [row] = await sql<Array<{ issued: number; to_transmit: number; waiting: number }>>`
    select count(*)::int as issued,
      count(*) filter (where status = 'issued_in_contingency')::int as to_transmit,
      count(*) filter (where status in ('needs_support', 'rejected'))::int as waiting
    from documents where contingency_id = ${contingencyId}`;
  return { issued: row!.issued, toTransmit: row!.to_transmit, waitingForPerson: row!.waiting };
}

/** Counts one PAC call: an answer resets the streak; no answer extends it (and starts it when it was 0). */
export async function recordReachability(
  sql: Sql,
  companyId: string,
  environment: '1' | '2',
  call: { answered: true } | { answered: false; failure: string },
): Promise<Reachability> {
  const [row] = call.answered
    ? await sql<
        Array<{ consecutive_failures: number; failing_since: Date | null; last_failure: string | null }>
      >`
        insert into pac_reachability (company_id, environment, consecutive_failures, last_success_at)
        values (${companyId}, ${Number(environment)}, 0, now())
        on conflict (company_id, environment) do update set consecutive_failures = 0, failing_since = null,
          last_success_at = now(), updated_at = now()
        returning consecutive_failures, failing_since, last_failure`
    : await sql<
        Array<{ consecutive_failures: number; failing_since: Date | null; last_failure: string | null }>
      >`
        insert into pac_reachability (company_id, environment, consecutive_failures, failing_since, last_failure)
        values (${companyId}, ${Number(environment)}, 1, now(), ${call.failure})
        on conflict (company_id, environment) do update set
          consecutive_failures = pac_reachability.consecutive_failures + 1,
          failing_since = coalesce(pac_reachability.failing_since, now()),
          last_failure = excluded.last_failure, updated_at = now()
        returning consecutive_failures, failing_since, last_failure`;
  return {
    consecutiveFailures: row!.consecutive_failures,
    failingSince: row!.failing_since ?? undefined,
    lastFailure: row!.last_failure ?? undefined,
  };
}

export async function loadReachability(
  sql: Sql,
  companyId: string,
  environment: '1' | '2',
): Promise<Reachability & { lastSuccessAt?: Date | undefined }> {
  const [row] = await sql<
    Array<{
      consecutive_failures: number;
      failing_since: Date | null;
      last_failure: string | null;
      last_success_at: Date | null;
    }>
  >`select consecutive_failures, failing_since, last_failure, last_success_at from pac_reachability
    where company_id = ${companyId} and environment = ${Number(environment)}`;
  return {
    consecutiveFailures: row?.consecutive_failures ?? 0,
    failingSince: row?.failing_since ?? undefined,
    lastFailure: row?.last_failure ?? undefined,
    lastSuccessAt: row?.last_success_at ?? undefined,
  };
}

/** The first time a document's CAFE or signed XML left fepa (kept once). */
export async function markHandedOver(sql: Sql, documentId: string): Promise<void> {
  await sql`update documents set handed_over_at = coalesce(handed_over_at, now())
    where id = ${documentId} and signed_xml is not null`;
}
