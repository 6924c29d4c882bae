import type { Sql } from '../database.js';

/**
 * A document row commits before its workflow starts; `workflow_started_at` says the start happened, so
 * a sweeper can start any row a crash left behind (its number is already consumed). The request's
 * Idempotency-Key, when given, finds that row again on the client's retry instead of a new number.
 */
export async function up(sql: Sql): Promise<void> {
  await sql.unsafe(`
    alter table documents add column workflow_started_at timestamptz;
    alter table documents add column idempotency_key text;
    update documents set workflow_started_at = created_at;
    create unique index documents_idempotency_key on documents (company_id, idempotency_key)
      where idempotency_key is not null;
    create index documents_workflow_not_started on documents (created_at) where workflow_started_at is null;
  `);
}

export async function down(sql: Sql): Promise<void> {
  await sql.unsafe(`
    drop index documents_workflow_not_started;
    drop index documents_idempotency_key;
    alter table documents drop column idempotency_key;
    alter table documents drop column workflow_started_at;
  `);
}
