import type { Sql } from '../../platform/storage/database.js';

/** Committed transactions per database so far (PostgreSQL's own counters, any connection sees all). */
export async function commitsByDatabase(sql: Sql, databases: string[]): Promise<Record<string, number>> {
  // The statistics collector publishes counters about once a second.
  await new Promise((r) => setTimeout(r, 1_500));
  const rows = await sql<Array<{ datname: string; commits: string }>>`
    select datname, xact_commit::text as commits from pg_stat_database where datname = any(${databases})`;
  return Object.fromEntries(rows.map((r) => [r.datname, Number(r.commits)]));
}

export function perUnit(after: Record<string, number>, before: Record<string, number>, units: number) {
  return Object.fromEntries(
    Object.entries(after).map(([db, n]) => [db, Math.round(((n - (before[db] ?? 0)) / units) * 10) / 10]),
  );
}
